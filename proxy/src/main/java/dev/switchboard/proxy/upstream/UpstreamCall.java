package dev.switchboard.proxy.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.proxy.dialect.anthropic.MessagesRequest;
import dev.switchboard.proxy.dialect.responses.ResponsesRequest;
import dev.switchboard.proxy.memory.MemoryBudget;
import dev.switchboard.proxy.request.ChatRequest;
import dev.switchboard.proxy.request.ParsedRequest;
import dev.switchboard.proxy.request.RequestRewriter;
import dev.switchboard.proxy.exchange.ChatContinuity;
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
 * @param lease the request's share of the memory budget: rewritten bodies, trees and answers are paid from it
 * @param continuity where continuity that clients did not echo is looked up and answers' continuity is remembered
 * @param degradations what this try changed so that the provider would answer, for the response header
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
    String requestId,
    MemoryBudget.Lease lease,
    ChatContinuity.Source continuity,
    Degradations degradations) {
  /**
   * What a request tree costs per body byte, counted before it is built: Jackson's nodes and
   * Java strings take about twice the JSON's bytes, and the translated body written from the tree
   * about once more.
   */
  static final int TREE_BYTES_PER_BODY_BYTE = 3;

  /** The body for an OpenAI-format upstream, spliced from the client's bytes. */
  public byte[] openAiBody() throws UpstreamException {
    refuseUntranslatable();
    boolean askUsage = asksForStreamUsage();
    if (request instanceof ChatRequest chat && chat.mayCarryContinuity()) {
      // Switchboard's own continuity carriers hold data for other backends: not for this one.
      ObjectNode tree = requestTree();
      ChatContinuity.strip(tree);
      if (askUsage) {
        tree.putObject("stream_options").put("include_usage", true);
      }
      byte[] body = tree.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      reserve(body.length);
      return body;
    }
    reserve(request.body().length + 256L);
    if (askUsage) {
      List<RequestRewriter.EncodedField> withUsage = new java.util.ArrayList<>(overrides.size() + 1);
      withUsage.addAll(overrides);
      withUsage.add(STREAM_USAGE);
      return RequestRewriter.rewrite(request, upstreamModel, defaults, withUsage);
    }
    return RequestRewriter.rewrite(request, upstreamModel, defaults, overrides);
  }

  private static final RequestRewriter.EncodedField STREAM_USAGE = new RequestRewriter.EncodedField("stream_options",
      "\"stream_options\":{\"include_usage\":true}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

  /**
   * Whether this try asks an OpenAI-format upstream for the usage chunk the client did not ask
   * for: limits, budgets and metrics need a stream's usage. It is asked only where no one set
   * {@code stream_options} (the client, the route's defaults or the target's parameters: each
   * is left as it is), and the extra chunk is kept from the client ({@code OpenAiStream}).
   */
  public boolean asksForStreamUsage() {
    return request.stream() && !request.has("stream_options") && !named(defaults, "stream_options")
        && !named(overrides, "stream_options");
  }

  private static boolean named(List<RequestRewriter.EncodedField> fields, String name) {
    for (RequestRewriter.EncodedField f : fields) {
      if (f.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The request as a tree for translation, with defaults, overrides and the upstream model applied. */
  public ObjectNode requestTree() throws UpstreamException {
    refuseUntranslatable();
    reserve((long) request.body().length * TREE_BYTES_PER_BODY_BYTE);
    return RequestRewriter.rewriteTree(request, upstreamModel, defaultsTree, overridesTree);
  }

  /**
   * A request that forces what only its own dialect's backends can do (a server tool) cannot be
   * translated: this try is unsupported, so the route may still find a backend that speaks it.
   */
  private void refuseUntranslatable() throws UpstreamException {
    if (request instanceof MessagesRequest m && m.refusal().isPresent()) {
      throw UpstreamException.unsupported("tool_choice", "The request needs " + m.refusal().get()
          + ", which only Anthropic backends can serve; backend " + backend.id() + " is provider " + backend.provider().wireName() + ".");
    }
    if (request instanceof ResponsesRequest r && r.refusal().isPresent()) {
      throw UpstreamException.unsupported("tool_choice", "The request needs " + r.refusal().get()
          + ", which only Responses backends can serve; backend " + backend.id() + " is provider " + backend.provider().wireName() + ".");
    }
  }

  /** Pays {@code bytes} from the request's lease, or fails the try as overloaded. */
  public void reserve(long bytes) throws UpstreamException {
    try {
      lease.reserve(bytes);
    } catch (MemoryBudget.Exhausted e) {
      throw UpstreamException.overloaded("the gateway is holding as much request data as its memory allows; try again shortly");
    }
  }
}
