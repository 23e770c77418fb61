package dev.switchboard.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.v1alpha1.ModelType;
import dev.switchboard.api.v1alpha1.Strategy;
import java.util.ArrayList;
import java.util.List;

/**
 * One accepted route with its usable targets.
 *
 * @param id {@code namespace/name}
 * @param type whether the route serves chat completions or embeddings (all targets agree)
 * @param defaults request parameters applied when the client omits them; never mutated
 * @param requireCapabilities a request needing a capability every remaining target failed gets a 400 rather than a try
 */
public record RouteConfig(
    String id,
    String namespace,
    String name,
    String model,
    List<String> aliases,
    String description,
    List<String> capabilities,
    ModelType type,
    Strategy strategy,
    List<TargetConfig> targets,
    RetryPolicy retry,
    ObjectNode defaults,
    boolean dropUnsupportedParameters,
    boolean requireCapabilities) {
  public RouteConfig {
    aliases = List.copyOf(aliases);
    capabilities = List.copyOf(capabilities);
    targets = List.copyOf(targets);
    defaults = defaults == null ? JsonNodeFactory.instance.objectNode() : defaults.deepCopy();
  }

  /**
   * A route of one target and one attempt, without retries or failover: a backend model served
   * directly ({@code exposeModels}, the console's playground).
   */
  public static RouteConfig direct(String id, String namespace, String name, String description, ModelType type, TargetConfig target) {
    return new RouteConfig(id, namespace, name, name, List.of(), description, List.of(), type, Strategy.FAILOVER, List.of(target),
        new RetryPolicy(1, List.of(), java.util.Optional.empty(), RetryPolicy.DEFAULTS.backoffBase(), RetryPolicy.DEFAULTS.backoffMax()),
        null, false, false);
  }

  /** The model name and its aliases: every name a client may send for this route. */
  @JsonIgnore
  public List<String> names() {
    List<String> names = new ArrayList<>(aliases.size() + 1);
    names.add(model);
    names.addAll(aliases);
    return names;
  }
}
