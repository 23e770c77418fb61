package dev.switchboard.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One usable target of a route.
 *
 * @param backend the backend's id ({@code namespace/name})
 * @param model the backend model name
 * @param upstreamModel the name sent to the provider (Azure deployment, upstreamName or name)
 * @param parameters merged over the client's request; never mutated
 * @param suspended the target takes no new requests (its backend may still serve other routes)
 */
public record TargetConfig(String backend, String model, String upstreamModel, int priority, int weight, ObjectNode parameters,
    boolean suspended) {
  public TargetConfig {
    parameters = parameters == null ? JsonNodeFactory.instance.objectNode() : parameters.deepCopy();
  }
}
