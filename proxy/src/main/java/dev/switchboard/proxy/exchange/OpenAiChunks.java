package dev.switchboard.proxy.exchange;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.upstream.Usage;

/**
 * Builds OpenAI {@code chat.completion.chunk} objects for one answer, all sharing its id, creation
 * time and model, as OpenAI's own streams do.
 */
public final class OpenAiChunks {
  public static final ObjectMapper JSON = new ObjectMapper();

  private final String id;
  private final long created;
  private final String model;

  public OpenAiChunks(String id, long created, String model) {
    this.id = id;
    this.created = created;
    this.model = model;
  }

  public String id() {
    return id;
  }

  public String model() {
    return model;
  }

  private ObjectNode base() {
    return JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
  }

  private ObjectNode choice(ObjectNode root) {
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    return choice;
  }

  private String delta(ObjectNode delta) {
    ObjectNode root = base();
    ObjectNode choice = choice(root);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    choice.putNull("finish_reason");
    return root.toString();
  }

  public String role() {
    return delta(JSON.createObjectNode().put("role", "assistant").put("content", ""));
  }

  public String content(String text) {
    return delta(JSON.createObjectNode().put("content", text));
  }

  /** Reasoning text, in the {@code reasoning_content} field that several OpenAI-compatible servers use. */
  public String reasoning(String text) {
    return delta(JSON.createObjectNode().put("reasoning_content", text));
  }

  /** The first delta of tool call {@code index}: its id and function name, with empty arguments. */
  public String toolCallStart(int index, String callId, String name) {
    return toolCallStart(index, callId, name, JSON.createObjectNode());
  }

  /** As {@link #toolCallStart(int, String, String)}, with the call's {@code extra_content} when not empty. */
  public String toolCallStart(int index, String callId, String name, ObjectNode extraContent) {
    ObjectNode delta = JSON.createObjectNode();
    ObjectNode call = delta.putArray("tool_calls").addObject();
    call.put("index", index).put("id", callId).put("type", "function");
    call.putObject("function").put("name", name).put("arguments", "");
    if (!extraContent.isEmpty()) {
      call.set("extra_content", extraContent);
    }
    return delta(delta);
  }

  /** The whole {@code reasoning_details} array in one delta (clients assign, not append, unknown fields). */
  public String reasoningDetails(ArrayNode details) {
    ObjectNode delta = JSON.createObjectNode();
    delta.set("reasoning_details", details);
    return delta(delta);
  }

  /** A piece of tool call {@code index}'s arguments. */
  public String toolCallArguments(int index, String arguments) {
    ObjectNode delta = JSON.createObjectNode();
    ObjectNode call = delta.putArray("tool_calls").addObject();
    call.put("index", index);
    call.putObject("function").put("arguments", arguments);
    return delta(delta);
  }

  public String finish(String reason) {
    ObjectNode root = base();
    ObjectNode choice = choice(root);
    choice.putObject("delta");
    choice.putNull("logprobs");
    choice.put("finish_reason", reason);
    return root.toString();
  }

  /** The final usage chunk sent when the client asked for {@code stream_options.include_usage}. */
  public String usage(Usage usage) {
    ObjectNode root = base();
    root.putArray("choices");
    root.set("usage", usageNode(usage));
    return root.toString();
  }

  public static ObjectNode usageNode(Usage usage) {
    ObjectNode node = JSON.createObjectNode()
        .put("prompt_tokens", usage.promptTokens())
        .put("completion_tokens", usage.completionTokens())
        .put("total_tokens", usage.totalTokens());
    node.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedTokens());
    node.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
    return node;
  }

  /**
   * A whole {@code chat.completion}.
   *
   * @param content the text, or null when the answer is only tool calls
   * @param toolCalls OpenAI tool call objects, possibly empty
   */
  public static byte[] completion(String id, long created, String model, String content, String reasoning, ArrayNode toolCalls,
      String finishReason, Usage usage, TurnContinuity continuity) {
    ObjectNode root = JSON.createObjectNode()
        .put("id", id).put("object", "chat.completion").put("created", created).put("model", model);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    if (content == null) {
      message.putNull("content");
    } else {
      message.put("content", content);
    }
    if (reasoning != null && !reasoning.isEmpty()) {
      message.put("reasoning_content", reasoning);
    }
    if (toolCalls != null && !toolCalls.isEmpty()) {
      message.set("tool_calls", toolCalls);
    }
    message.putNull("refusal");
    continuity.attach(message);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    root.set("usage", usageNode(usage));
    return root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** One OpenAI tool call object for a whole answer. */
  public static ObjectNode toolCall(String callId, String name, String arguments) {
    ObjectNode call = JSON.createObjectNode().put("id", callId).put("type", "function");
    call.putObject("function").put("name", name).put("arguments", arguments);
    return call;
  }
}
