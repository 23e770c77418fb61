package dev.switchboard.proxy.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.exchange.Continuity;
import dev.switchboard.proxy.exchange.ContinuityStore;
import dev.switchboard.proxy.exchange.ContinuityToken;
import dev.switchboard.proxy.exchange.ReasoningBlock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where continuity travels in OpenAI chat messages, both ways. An answer carries it three times,
 * because each client keeps a different part of what it receives: a {@code reasoning_details}
 * array on the message (readable items and one {@code switchboard-v1} token), the same token in
 * the first tool call's {@code extra_content.switchboard.continuity} (clients such as the Agents
 * SDK keep tool call fields but drop message fields), and each Gemini signature in Google's own
 * {@code extra_content.google.thought_signature} (which the Vercel AI SDK echoes). A request's
 * assistant messages are read in that order, then the {@link ContinuityStore} by tool call id.
 */
public final class ChatContinuity {
  public static final String FORMAT = "switchboard-v1";

  private ChatContinuity() {}

  /** Where a request's continuity is looked up: the process store and the client's scope in it. */
  public record Source(ContinuityStore store, String scope) {
    public static final Source NONE = new Source(new ContinuityStore(0, java.time.Duration.ZERO), "");
  }

  /**
   * What came back for one backend.
   *
   * @param turns per assistant message index, the continuity this backend issued (absent: none came back)
   * @param bareSignatures tool call id to a Gemini signature the client set itself (no issuer tag,
   *     such as Google's documented {@code skip_thought_signature_validator})
   */
  public record Recovered(Map<Integer, Continuity> turns, Map<String, String> bareSignatures) {
    public static final Recovered NONE = new Recovered(Map.of(), Map.of());

    public Continuity turn(int messageIndex) {
      return turns.getOrDefault(messageIndex, Continuity.NONE);
    }
  }

  /** Reads the continuity of every assistant message, keeping only what {@code backendId} issued. */
  public static Recovered recover(JsonNode messages, String backendId, Source source) {
    Map<Integer, Continuity> turns = new HashMap<>();
    Map<String, String> bare = new HashMap<>();
    String tag = Continuity.tag(backendId);
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      if (!"assistant".equals(m.path("role").asText())) {
        continue;
      }
      Continuity found = fromMessage(m).or(() -> fromStore(m, source)).orElse(Continuity.NONE);
      List<ReasoningBlock> blocks = new ArrayList<>(found.issuer().equals(tag) ? found.blocks() : List.of());
      for (JsonNode call : m.path("tool_calls")) {
        JsonNode sig = call.path("extra_content").path("google").path("thought_signature");
        if (!sig.isTextual() || sig.asText().isEmpty()) {
          continue;
        }
        String id = call.path("id").asText();
        ContinuityToken.Wrapped w = ContinuityToken.unwrap(sig.asText());
        if (w.issuer().isEmpty()) {
          bare.put(id, w.value());
        } else if (w.issuer().equals(tag) && blocks.stream().noneMatch(b -> b.kind() == ReasoningBlock.Kind.SIGNATURE
            && b.anchor().equals(id))) {
          blocks.add(ReasoningBlock.signature(id, w.value()));
        }
      }
      if (!blocks.isEmpty()) {
        turns.put(i, new Continuity(tag, blocks));
      }
    }
    return new Recovered(turns, bare);
  }

  private static Optional<Continuity> fromMessage(JsonNode m) {
    for (JsonNode d : m.path("reasoning_details")) {
      if (FORMAT.equals(d.path("format").asText()) && d.path("data").isTextual()) {
        Optional<Continuity> c = ContinuityToken.decode(d.path("data").asText());
        if (c.isPresent()) {
          return c;
        }
      }
    }
    for (JsonNode call : m.path("tool_calls")) {
      JsonNode token = call.path("extra_content").path("switchboard").path("continuity");
      if (token.isTextual()) {
        Optional<Continuity> c = ContinuityToken.decode(token.asText());
        if (c.isPresent()) {
          return c;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Continuity> fromStore(JsonNode m, Source source) {
    for (JsonNode call : m.path("tool_calls")) {
      Optional<Continuity> c = source.store().recall(source.scope(), call.path("id").asText());
      if (c.isPresent()) {
        return c;
      }
    }
    return Optional.empty();
  }

  /** The tool call ids of an answer's message, to remember its continuity under. */
  public static List<String> toolCallIds(JsonNode toolCalls) {
    List<String> ids = new ArrayList<>();
    toolCalls.forEach(c -> ids.add(c.path("id").asText()));
    return ids;
  }

  /** Puts an answer's continuity into its message: reasoning_details and the tool calls' extra_content. */
  public static void attach(ObjectNode message, Continuity continuity) {
    if (continuity.isEmpty()) {
      return;
    }
    message.set("reasoning_details", details(continuity));
    JsonNode calls = message.path("tool_calls");
    for (int j = 0; j < calls.size(); j++) {
      ObjectNode extra = extraContent(continuity, calls.get(j).path("id").asText(), j == 0);
      if (!extra.isEmpty()) {
        ((ObjectNode) calls.get(j)).set("extra_content", extra);
      }
    }
  }

  /** The {@code reasoning_details} array: readable items, then the token that brings it all back. */
  public static ArrayNode details(Continuity continuity) {
    ArrayNode details = OpenAiChunks.JSON.createArrayNode();
    int index = 0;
    for (ReasoningBlock b : continuity.blocks()) {
      if (b.text().isEmpty()) {
        continue;
      }
      if (b.kind() == ReasoningBlock.Kind.ENCRYPTED) {
        details.addObject().put("type", "reasoning.summary").put("summary", b.text()).put("index", index++);
      } else {
        details.addObject().put("type", "reasoning.text").put("text", b.text()).put("index", index++);
      }
    }
    details.addObject().put("type", "reasoning.encrypted").put("data", ContinuityToken.encode(continuity))
        .put("format", FORMAT).put("index", index);
    return details;
  }

  /** A tool call's {@code extra_content}: the token on the first call, a Gemini signature on its own call. */
  public static ObjectNode extraContent(Continuity continuity, String toolCallId, boolean first) {
    ObjectNode extra = OpenAiChunks.JSON.createObjectNode();
    if (continuity.isEmpty()) {
      return extra;
    }
    continuity.signature(toolCallId).ifPresent(sig ->
        extra.putObject("google").put("thought_signature", ContinuityToken.wrap(continuity.issuer(), sig)));
    if (first) {
      extra.putObject("switchboard").put("continuity", ContinuityToken.encode(continuity));
    }
    return extra;
  }

  /**
   * Removes Switchboard's carriers from a request for an OpenAI-format backend: they hold other
   * backends' data (a failover route mixing providers), which a strict backend would refuse.
   */
  public static void strip(ObjectNode request) {
    for (JsonNode m : request.path("messages")) {
      if (!(m instanceof ObjectNode message)) {
        continue;
      }
      JsonNode details = message.get("reasoning_details");
      if (details instanceof ArrayNode array) {
        boolean ours = false;
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
          ours |= FORMAT.equals(it.next().path("format").asText());
        }
        if (ours) {
          message.remove("reasoning_details");
        }
      }
      for (JsonNode call : message.path("tool_calls")) {
        if (call.get("extra_content") instanceof ObjectNode extra) {
          extra.remove("switchboard");
          if (extra.get("google") instanceof ObjectNode google
              && ContinuityToken.unwrap(google.path("thought_signature").asText(null)).issuer().length() > 0) {
            google.remove("thought_signature");
            if (google.isEmpty()) {
              extra.remove("google");
            }
          }
          if (extra.isEmpty()) {
            ((ObjectNode) call).remove("extra_content");
          }
        }
      }
    }
  }
}
