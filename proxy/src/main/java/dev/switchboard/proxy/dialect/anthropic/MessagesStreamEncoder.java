package dev.switchboard.proxy.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes a canonical stream (OpenAI {@code chat.completion.chunk}s) as Anthropic's named events,
 * chunk by chunk, as they arrive: {@code message_start}, then one content block at a time (text,
 * thinking, tool_use) with their deltas, then {@code message_delta} with the stop reason and usage,
 * and {@code message_stop}. The continuity token, which canonical streams send last, closes the
 * answer as a thinking block of its own whose signature carries it back on the next turn.
 */
public final class MessagesStreamEncoder {
  private final String model;
  private final String id = MessagesAnswers.newId("msg_");
  private boolean started;
  private int nextIndex;
  private String open = "";
  private int openIndex = -1;
  private final Map<Integer, Integer> toolBlocks = new HashMap<>();
  private String finish = "";
  private boolean calledTools;
  private String token = "";
  private JsonNode usage = MessagesRequestDecoder.JSON.createObjectNode();

  public MessagesStreamEncoder(String model) {
    this.model = model;
  }

  /** The events for one canonical chunk's JSON. */
  public void chunk(String json, List<String> out) throws IOException {
    JsonNode chunk = MessagesRequestDecoder.JSON.readTree(json);
    start(out);
    if (chunk.hasNonNull("usage") && chunk.get("usage").isObject()) {
      usage = chunk.get("usage");
    }
    JsonNode choice = chunk.path("choices").path(0);
    if (choice.isMissingNode()) {
      return;
    }
    JsonNode delta = choice.path("delta");
    String reasoning = delta.path("reasoning_content").asText(delta.path("reasoning").asText(""));
    if (!reasoning.isEmpty()) {
      block("thinking", out);
      delta(out, MessagesRequestDecoder.JSON.createObjectNode().put("type", "thinking_delta").put("thinking", reasoning));
    }
    if (delta.has("reasoning_details")) {
      String t = MessagesAnswers.token(delta.get("reasoning_details"));
      if (!t.isEmpty()) {
        token = t;
      }
    }
    String text = delta.path("content").asText("");
    if (!text.isEmpty()) {
      block("text", out);
      delta(out, MessagesRequestDecoder.JSON.createObjectNode().put("type", "text_delta").put("text", text));
    }
    for (JsonNode call : delta.path("tool_calls")) {
      int index = call.path("index").asInt(0);
      if (call.hasNonNull("id") && !toolBlocks.containsKey(index)) {
        close(out);
        calledTools = true;
        openIndex = nextIndex++;
        open = "tool_use";
        toolBlocks.put(index, openIndex);
        ObjectNode b = MessagesRequestDecoder.JSON.createObjectNode().put("type", "tool_use").put("id", call.get("id").asText())
            .put("name", call.path("function").path("name").asText());
        b.putObject("input");
        out.add(event("content_block_start", MessagesRequestDecoder.JSON.createObjectNode()
            .put("type", "content_block_start").put("index", openIndex).set("content_block", b)));
      }
      String arguments = call.path("function").path("arguments").asText("");
      Integer at = toolBlocks.get(index);
      // Canonical streams send one call after another; a block once stopped cannot grow again.
      if (!arguments.isEmpty() && at != null && at == openIndex && open.equals("tool_use")) {
        out.add(event("content_block_delta", MessagesRequestDecoder.JSON.createObjectNode()
            .put("type", "content_block_delta").put("index", at)
            .set("delta", MessagesRequestDecoder.JSON.createObjectNode().put("type", "input_json_delta").put("partial_json", arguments))));
      }
    }
    if (choice.hasNonNull("finish_reason")) {
      finish = choice.get("finish_reason").asText();
    }
  }

  /** The events that end a complete answer. */
  public void end(List<String> out) {
    start(out);
    close(out);
    if (!token.isEmpty()) {
      int index = nextIndex++;
      out.add(event("content_block_start", MessagesRequestDecoder.JSON.createObjectNode().put("type", "content_block_start")
          .put("index", index).set("content_block", MessagesRequestDecoder.JSON.createObjectNode()
              .put("type", "thinking").put("thinking", "").put("signature", ""))));
      out.add(event("content_block_delta", MessagesRequestDecoder.JSON.createObjectNode().put("type", "content_block_delta")
          .put("index", index).set("delta", MessagesRequestDecoder.JSON.createObjectNode()
              .put("type", "signature_delta").put("signature", token))));
      out.add(event("content_block_stop", MessagesRequestDecoder.JSON.createObjectNode().put("type", "content_block_stop").put("index", index)));
    }
    ObjectNode delta = MessagesRequestDecoder.JSON.createObjectNode();
    delta.put("stop_reason", MessagesAnswers.stopReason(finish, calledTools)).putNull("stop_sequence");
    ObjectNode md = MessagesRequestDecoder.JSON.createObjectNode().put("type", "message_delta");
    md.set("delta", delta);
    md.set("usage", MessagesAnswers.usage(usage));
    out.add(event("message_delta", md));
    out.add(event("message_stop", MessagesRequestDecoder.JSON.createObjectNode().put("type", "message_stop")));
  }

  private void start(List<String> out) {
    if (started) {
      return;
    }
    started = true;
    ObjectNode message = MessagesRequestDecoder.JSON.createObjectNode().put("id", id).put("type", "message").put("role", "assistant")
        .put("model", model);
    message.putArray("content");
    message.putNull("stop_reason").putNull("stop_sequence");
    message.putObject("usage").put("input_tokens", 0).put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0)
        .put("output_tokens", 0);
    out.add(event("message_start", MessagesRequestDecoder.JSON.createObjectNode().put("type", "message_start").set("message", message)));
    out.add(event("ping", MessagesRequestDecoder.JSON.createObjectNode().put("type", "ping")));
  }

  private void block(String type, List<String> out) {
    if (open.equals(type)) {
      return;
    }
    close(out);
    open = type;
    openIndex = nextIndex++;
    ObjectNode b = MessagesRequestDecoder.JSON.createObjectNode().put("type", type);
    if (type.equals("text")) {
      b.put("text", "");
    } else {
      b.put("thinking", "").put("signature", "");
    }
    out.add(event("content_block_start", MessagesRequestDecoder.JSON.createObjectNode()
        .put("type", "content_block_start").put("index", openIndex).set("content_block", b)));
  }

  private void delta(List<String> out, ObjectNode delta) {
    out.add(event("content_block_delta", MessagesRequestDecoder.JSON.createObjectNode()
        .put("type", "content_block_delta").put("index", openIndex).set("delta", delta)));
  }

  private void close(List<String> out) {
    if (open.isEmpty()) {
      return;
    }
    out.add(event("content_block_stop", MessagesRequestDecoder.JSON.createObjectNode().put("type", "content_block_stop").put("index", openIndex)));
    open = "";
  }

  public static String event(String name, ObjectNode data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }
}
