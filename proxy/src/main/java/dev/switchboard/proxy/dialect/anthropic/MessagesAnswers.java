package dev.switchboard.proxy.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.exchange.ChatContinuity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Encodes a canonical answer (an OpenAI {@code chat.completion}) as an Anthropic {@code message}.
 * Reasoning becomes a thinking block whose signature is the canonical continuity token, which is
 * what Anthropic clients echo back on the next turn.
 */
public final class MessagesAnswers {
  private MessagesAnswers() {}

  /** An Anthropic message id: {@code msg_} and 24 random base-62 characters, as Anthropic's look. */
  public static String newId(String prefix) {
    String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    StringBuilder id = new StringBuilder(prefix);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 24; i++) {
      id.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return id.toString();
  }

  public static byte[] encode(byte[] completion, String model) throws IOException {
    JsonNode root = MessagesRequestDecoder.JSON.readTree(completion);
    JsonNode choice = root.path("choices").path(0);
    JsonNode message = choice.path("message");
    ObjectNode out = MessagesRequestDecoder.JSON.createObjectNode()
        .put("id", newId("msg_")).put("type", "message").put("role", "assistant").put("model", model);
    ArrayNode content = out.putArray("content");
    String token = token(message.path("reasoning_details"));
    String reasoning = message.path("reasoning_content").asText(message.path("reasoning").asText(""));
    if (!reasoning.isEmpty() || !token.isEmpty()) {
      content.addObject().put("type", "thinking").put("thinking", reasoning).put("signature", token);
    }
    String text = message.path("content").asText("");
    if (!text.isEmpty()) {
      content.addObject().put("type", "text").put("text", text);
    }
    for (JsonNode call : message.path("tool_calls")) {
      ObjectNode use = content.addObject().put("type", "tool_use").put("id", call.path("id").asText())
          .put("name", call.path("function").path("name").asText());
      use.set("input", arguments(call.path("function").path("arguments").asText("")));
    }
    String stop = stopReason(choice.path("finish_reason").asText(""), message.has("tool_calls") && !message.path("tool_calls").isEmpty());
    out.put("stop_reason", stop);
    out.putNull("stop_sequence");
    out.set("usage", usage(root.path("usage")));
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The continuity token among {@code reasoning_details}, or "". */
  static String token(JsonNode details) {
    for (JsonNode d : details) {
      if (ChatContinuity.FORMAT.equals(d.path("format").asText()) && d.path("data").isTextual()) {
        return d.path("data").asText();
      }
    }
    return "";
  }

  /** Tool arguments as the object Anthropic's {@code input} must be; text that is not one is kept under {@code _raw}. */
  static ObjectNode arguments(String arguments) {
    if (arguments.isBlank()) {
      return MessagesRequestDecoder.JSON.createObjectNode();
    }
    try {
      JsonNode parsed = MessagesRequestDecoder.JSON.readTree(arguments);
      if (parsed instanceof ObjectNode object) {
        return object;
      }
    } catch (IOException e) {
      // falls through: the model wrote something that is not JSON
    }
    return MessagesRequestDecoder.JSON.createObjectNode().put("_raw", arguments);
  }

  static String stopReason(String finish, boolean calledTools) {
    return switch (finish) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> calledTools ? "tool_use" : "end_turn";
    };
  }

  /** Anthropic counts cached input apart from {@code input_tokens}; OpenAI includes it in {@code prompt_tokens}. */
  static ObjectNode usage(JsonNode usage) {
    long prompt = usage.path("prompt_tokens").asLong(0);
    long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    return MessagesRequestDecoder.JSON.createObjectNode()
        .put("input_tokens", Math.max(0, prompt - cached))
        .put("cache_creation_input_tokens", 0)
        .put("cache_read_input_tokens", cached)
        .put("output_tokens", usage.path("completion_tokens").asLong(0));
  }
}
