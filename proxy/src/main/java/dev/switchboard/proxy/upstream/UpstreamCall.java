package dev.switchboard.proxy.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.proxy.request.ParsedRequest;
import dev.switchboard.proxy.request.RequestRewriter;
import java.time.Duration;
import java.util.List;

/**
 * Everything an adapter needs for one try.
 *
 * @param upstreamModel the model name the provider knows (deployment for Azure)
 * @param defaults route defaults, pre-encoded for byte splicing
 * @param overrides target parameters, pre-encoded for byte splicing
 * @param defaultsTree the same defaults as a tree, for translating adapters
 * @param overridesTree the same parameters as a tree, for translating adapters
 * @param timeout how long this try may take before the first byte (whole answer when not streamed)
 * @param dropUnsupported whether parameters the provider cannot express are dropped rather than refused
 */
public record UpstreamCall(
    ParsedRequest request,
    BackendConfig backend,
    String upstreamModel,
    List<RequestRewriter.EncodedField> defaults,
    List<RequestRewriter.EncodedField> overrides,
    ObjectNode defaultsTree,
    ObjectNode overridesTree,
    Duration timeout,
    boolean dropUnsupported,
    String requestId) {

  /** The body for an OpenAI-format upstream, spliced from the client's bytes. */
  public byte[] openAiBody() {
    return RequestRewriter.rewrite(request, upstreamModel, defaults, overrides);
  }

  /** The request as a tree for translation, with defaults, overrides and the upstream model applied. */
  public ObjectNode requestTree() {
    return RequestRewriter.rewriteTree(request, upstreamModel, defaultsTree, overridesTree);
  }
}
