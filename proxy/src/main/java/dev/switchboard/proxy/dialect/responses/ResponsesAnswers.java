package dev.switchboard.proxy.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.exchange.ChatContinuity;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Encodes canonical answers (an OpenAI {@code chat.completion}) as Responses API {@code response}
 * objects: reasoning as a reasoning item whose {@code encrypted_content} is the canonical
 * continuity token (when the client asked for it with {@code include}), text as a message item,
 * tool calls as function-call items. Also the canonical assistant message each answer adds to a
 * stored conversation.
 */
public final class ResponsesAnswers {
  private ResponsesAnswers() {}

  /** An id as OpenAI's look: a prefix and 48 hex characters. */
  public static String newId(String prefix) {
    StringBuilder id = new StringBuilder(prefix);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 48; i++) {
      id.append(Character.forDigit(random.nextInt(16), 16));
    }
    return id.toString();
  }

  /** A Response with nothing in it yet: the request's settings echoed, as {@code response.created} carries it. */
  public static ObjectNode shell(String id, String model, long createdAt, ResponsesRequest.Options options, String status) {
    ObjectNode r = ResponsesRequestDecoder.JSON.createObjectNode().put("id", id).put("object", "response").put("created_at", createdAt)
        .put("status", status);
    r.put("background", false);
    r.putNull("error");
    r.putNull("incomplete_details");
    r.put("model", model);
    r.putArray("output");
    r.setAll(options.echo().deepCopy());
    r.putNull("usage");
    return r;
  }

  /** The whole Response for a canonical completion. */
  public static ObjectNode encode(byte[] completion, String id, String model, long createdAt, ResponsesRequest.Options options)
      throws IOException {
    JsonNode root = ResponsesRequestDecoder.JSON.readTree(completion);
    JsonNode choice = root.path("choices").path(0);
    JsonNode message = choice.path("message");
    ObjectNode r = shell(id, model, createdAt, options, "completed");
    ArrayNode output = (ArrayNode) r.get("output");
    String reasoning = message.path("reasoning_content").asText(message.path("reasoning").asText(""));
    String token = token(message.path("reasoning_details"));
    if (!reasoning.isEmpty() || (!token.isEmpty() && options.includeEncrypted())) {
      output.add(reasoningItem(newId("rs_"), reasoning, options.includeEncrypted() ? token : ""));
    }
    String text = message.path("content").asText("");
    if (!text.isEmpty()) {
      output.add(messageItem(newId("msg_"), text, "completed"));
    }
    for (JsonNode call : message.path("tool_calls")) {
      output.add(functionCall(newId("fc_"), call.path("id").asText(), call.path("function").path("name").asText(),
          call.path("function").path("arguments").asText("{}"), options.echo().path("tools"), "completed"));
    }
    finish(r, choice.path("finish_reason").asText(""), root.path("usage"), text);
    return r;
  }

  /** Sets status, incomplete details, usage and output_text once the answer is whole. */
  static void finish(ObjectNode r, String finishReason, JsonNode usage, String text) {
    if (finishReason.equals("length")) {
      r.put("status", "incomplete");
      r.putObject("incomplete_details").put("reason", "max_output_tokens");
    } else if (finishReason.equals("content_filter")) {
      r.put("status", "incomplete");
      r.putObject("incomplete_details").put("reason", "content_filter");
    } else {
      r.put("status", "completed");
    }
    r.set("usage", usage(usage));
    r.put("output_text", text);
  }

  static ObjectNode reasoningItem(String id, String summary, String encrypted) {
    ObjectNode item = ResponsesRequestDecoder.JSON.createObjectNode().put("id", id).put("type", "reasoning");
    ArrayNode parts = item.putArray("summary");
    if (!summary.isEmpty()) {
      parts.addObject().put("type", "summary_text").put("text", summary);
    }
    if (!encrypted.isEmpty()) {
      item.put("encrypted_content", encrypted);
    }
    return item;
  }

  static ObjectNode messageItem(String id, String text, String status) {
    ObjectNode item = ResponsesRequestDecoder.JSON.createObjectNode().put("id", id).put("type", "message").put("status", status)
        .put("role", "assistant");
    ArrayNode content = item.putArray("content");
    if (text != null) {
      content.add(outputText(text));
    }
    return item;
  }

  static ObjectNode outputText(String text) {
    ObjectNode part = ResponsesRequestDecoder.JSON.createObjectNode().put("type", "output_text").put("text", text);
    part.putArray("annotations");
    part.putArray("logprobs");
    return part;
  }

  static ObjectNode functionCall(String id, String callId, String canonicalName, String arguments, JsonNode tools, String status) {
    ObjectNode item = ResponsesRequestDecoder.JSON.createObjectNode().put("id", id).put("type", "function_call").put("status", status);
    item.put("call_id", callId);
    ResponsesTools.name(item, canonicalName, tools);
    item.put("arguments", arguments);
    return item;
  }

  /** The continuity token among {@code reasoning_details}, or "". */
  public static String token(JsonNode details) {
    for (JsonNode d : details) {
      if (ChatContinuity.FORMAT.equals(d.path("format").asText()) && d.path("data").isTextual()) {
        return d.path("data").asText();
      }
    }
    return "";
  }

  static ObjectNode usage(JsonNode usage) {
    long input = usage.path("prompt_tokens").asLong(0);
    long output = usage.path("completion_tokens").asLong(0);
    ObjectNode u = ResponsesRequestDecoder.JSON.createObjectNode().put("input_tokens", input);
    u.putObject("input_tokens_details").put("cached_tokens", usage.path("prompt_tokens_details").path("cached_tokens").asLong(0));
    u.put("output_tokens", output);
    u.putObject("output_tokens_details").put("reasoning_tokens", usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
    u.put("total_tokens", usage.path("total_tokens").asLong(input + output));
    return u;
  }

  /**
   * The canonical assistant message a Response adds to its conversation, continuity included
   * whether or not the client saw it, so previous_response_id continues as a full echo would.
   */
  public static ObjectNode assistantMessage(JsonNode response, String token) {
    ObjectNode m = ResponsesRequestDecoder.JSON.createObjectNode().put("role", "assistant");
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    ArrayNode calls = ResponsesRequestDecoder.JSON.createArrayNode();
    for (JsonNode item : response.path("output")) {
      switch (item.path("type").asText()) {
        case "message" -> item.path("content").forEach(p -> text.append(p.path("text").asText("")));
        case "reasoning" -> item.path("summary").forEach(s -> reasoning.append(s.path("text").asText("")));
        case "function_call" -> {
          ObjectNode call = calls.addObject().put("id", item.path("call_id").asText()).put("type", "function");
          call.putObject("function").put("name", ResponsesTools.canonicalName(item)).put("arguments", item.path("arguments").asText());
        }
        default -> {
          // nothing else comes from a translated answer
        }
      }
    }
    if (text.isEmpty() && !calls.isEmpty()) {
      m.putNull("content");
    } else {
      m.put("content", text.toString());
    }
    if (!calls.isEmpty()) {
      m.set("tool_calls", calls);
    }
    if (!reasoning.isEmpty()) {
      m.put("reasoning_content", reasoning.toString());
    }
    if (!token.isEmpty()) {
      m.putArray("reasoning_details").addObject().put("type", "reasoning.encrypted").put("data", token)
          .put("format", ChatContinuity.FORMAT).put("index", 0);
    }
    return m;
  }
}
