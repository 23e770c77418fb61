package dev.switchboard.proxy.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.exchange.ChatContinuity;
import dev.switchboard.proxy.exchange.Continuity;
import dev.switchboard.proxy.exchange.Messages;
import dev.switchboard.proxy.exchange.OpenAiChunks;
import dev.switchboard.proxy.exchange.ReasoningBlock;
import dev.switchboard.proxy.exchange.StreamTranslator;
import dev.switchboard.proxy.exchange.ToolNames;
import dev.switchboard.proxy.exchange.TurnContinuity;
import dev.switchboard.proxy.exchange.Unsupported;
import dev.switchboard.proxy.upstream.Degradations;
import dev.switchboard.proxy.upstream.UpstreamException;
import dev.switchboard.proxy.upstream.Usage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenAI chat completions to and from Anthropic's Messages API ({@code POST /v1/messages}).
 * System and developer messages become the top-level {@code system}; consecutive messages of one
 * role are merged, as Anthropic requires alternating roles; tool calls and tool results become
 * {@code tool_use} and {@code tool_result} blocks; {@code reasoning_effort} becomes a thinking
 * budget.
 */
public final class AnthropicTranslator {
  public static final String API_VERSION = "2023-06-01";
  private static final String PROVIDER = "anthropic";

  private AnthropicTranslator() {}

  /**
   * The Messages request for an OpenAI request (already carrying the upstream model).
   *
   * @param defaultMaxTokens sent when the client gives no max_tokens (Anthropic requires one)
   */
  public static ObjectNode request(ObjectNode openai, int defaultMaxTokens, boolean stream, String backend, boolean drop)
      throws UpstreamException {
    return request(openai, defaultMaxTokens, stream, backend, drop, ChatContinuity.Source.NONE, new Degradations());
  }

  /**
   * As {@link #request(ObjectNode, int, boolean, String, boolean)}, with the thinking blocks this
   * backend signed put back at the start of their assistant messages. When thinking is on and the
   * last tool-calling turn's signed thinking did not come back, thinking is switched off for this
   * request (Anthropic refuses it otherwise) and {@code degradations} says so.
   */
  public static ObjectNode request(ObjectNode openai, int defaultMaxTokens, boolean stream, String backend, boolean drop,
      ChatContinuity.Source source, Degradations degradations) throws UpstreamException {
    new Unsupported(openai, PROVIDER, backend, drop)
        .reject("n", v -> v.asInt(1) != 1, "it answers with one choice")
        .reject("logprobs", Unsupported::isTrue, "")
        .reject("top_logprobs")
        .reject("logit_bias", v -> !v.isEmpty(), "")
        .reject("presence_penalty", Unsupported.not(0), "")
        .reject("frequency_penalty", Unsupported.not(0), "")
        .reject("seed")
        .reject("response_format", v -> !"text".equals(v.path("type").asText("text")), "it has no JSON output mode")
        .reject("audio")
        .reject("prediction")
        .reject("web_search_options")
        .reject("temperature", v -> v.asDouble() > 1, "its temperature goes from 0 to 1");
    ObjectNode out = OpenAiChunks.JSON.createObjectNode();
    out.put("model", openai.path("model").asText());
    StringBuilder system = new StringBuilder();
    ArrayNode messages = out.putArray("messages");
    JsonNode all = openai.path("messages");
    ChatContinuity.Recovered recovered = ChatContinuity.recover(all, backend, source);
    for (int i = 0; i < all.size(); i++) {
      JsonNode m = all.get(i);
      String at = "messages[" + i + "]";
      String role = m.path("role").asText();
      switch (role) {
        case "system", "developer" -> {
          if (!system.isEmpty()) {
            system.append("\n\n");
          }
          system.append(Messages.text(m.path("content")));
        }
        case "user" -> append(messages, "user", userBlocks(m.path("content"), at));
        case "assistant" -> append(messages, "assistant", assistantBlocks(m, at, recovered.turn(i)));
        case "tool" -> {
          ArrayNode blocks = OpenAiChunks.JSON.createArrayNode();
          blocks.addObject().put("type", "tool_result").put("tool_use_id", m.path("tool_call_id").asText())
              .put("content", Messages.text(m.path("content")));
          append(messages, "user", blocks);
        }
        default -> throw UpstreamException.unsupported(at + ".role",
            "Messages with role '" + role + "' are not supported by provider anthropic; use tools and tool messages.");
      }
    }
    if (!system.isEmpty()) {
      out.put("system", system.toString());
    }
    int maxTokens = openai.path("max_completion_tokens").asInt(openai.path("max_tokens").asInt(defaultMaxTokens));
    copy(openai, out, "temperature", "temperature");
    copy(openai, out, "top_p", "top_p");
    JsonNode stop = openai.get("stop");
    if (stop != null && !stop.isNull()) {
      ArrayNode sequences = out.putArray("stop_sequences");
      if (stop.isTextual()) {
        sequences.add(stop.asText());
      } else {
        stop.forEach(sequences::add);
      }
    }
    if (stream) {
      out.put("stream", true);
    }
    tools(openai, out);
    if (openai.hasNonNull("user")) {
      out.putObject("metadata").put("user_id", openai.get("user").asText());
    }
    String effort = openai.path("reasoning_effort").asText("");
    int budget = switch (effort) {
      case "low" -> 1024;
      case "medium" -> 4096;
      case "high" -> 16384;
      default -> 0;
    };
    if (budget > 0) {
      out.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
      maxTokens = Math.max(maxTokens, budget + 1024); // Anthropic needs room for the answer after the thinking
    }
    out.put("max_tokens", maxTokens);
    for (String nativeField : List.of("top_k", "thinking", "service_tier")) {
      if (openai.hasNonNull(nativeField)) {
        out.set(nativeField, openai.get(nativeField)); // Anthropic's own parameters pass through
      }
    }
    keepThinkingValid(out, degradations);
    return out;
  }

  /**
   * Anthropic's rule for thinking in a tool loop: with thinking on, the final assistant message,
   * when it calls tools, must start with a thinking block. When that block did not come back,
   * thinking goes off for this one request; with thinking off, no thinking block is sent.
   */
  private static void keepThinkingValid(ObjectNode out, Degradations degradations) {
    String mode = out.path("thinking").path("type").asText("disabled");
    boolean thinking = !mode.equals("disabled");
    JsonNode messages = out.path("messages");
    JsonNode lastAssistant = null;
    for (JsonNode m : messages) {
      if ("assistant".equals(m.path("role").asText())) {
        lastAssistant = m;
      }
    }
    if (thinking && lastAssistant != null && calls(lastAssistant) && !startsWithThinking(lastAssistant)) {
      out.remove("thinking");
      degradations.add("thinking-disabled");
      thinking = false;
    }
    if (!thinking) {
      for (JsonNode m : messages) {
        if ("assistant".equals(m.path("role").asText()) && m.get("content") instanceof ArrayNode content) {
          for (int j = content.size() - 1; j >= 0; j--) {
            String type = content.get(j).path("type").asText();
            if (type.equals("thinking") || type.equals("redacted_thinking")) {
              content.remove(j);
            }
          }
        }
      }
    }
  }

  private static boolean calls(JsonNode message) {
    for (JsonNode block : message.path("content")) {
      if ("tool_use".equals(block.path("type").asText())) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWithThinking(JsonNode message) {
    String first = message.path("content").path(0).path("type").asText();
    return first.equals("thinking") || first.equals("redacted_thinking");
  }

  private static void tools(ObjectNode openai, ObjectNode out) throws UpstreamException {
    JsonNode tools = openai.get("tools");
    if (tools != null && !tools.isNull() && !tools.isEmpty()) {
      ArrayNode list = out.putArray("tools");
      for (int i = 0; i < tools.size(); i++) {
        JsonNode t = tools.get(i);
        if (!"function".equals(t.path("type").asText("function"))) {
          throw UpstreamException.unsupported("tools[" + i + "].type", "Only function tools are supported by provider anthropic.");
        }
        JsonNode f = t.path("function");
        ObjectNode tool = list.addObject().put("name", f.path("name").asText());
        if (f.hasNonNull("description")) {
          tool.put("description", f.get("description").asText());
        }
        JsonNode schema = f.get("parameters");
        tool.set("input_schema", schema != null && schema.isObject() ? schema
            : OpenAiChunks.JSON.createObjectNode().put("type", "object").set("properties", OpenAiChunks.JSON.createObjectNode()));
      }
    }
    JsonNode choice = openai.get("tool_choice");
    ObjectNode toolChoice = null;
    if (choice != null && !choice.isNull()) {
      toolChoice = OpenAiChunks.JSON.createObjectNode();
      if (choice.isTextual()) {
        toolChoice.put("type", switch (choice.asText()) {
          case "none" -> "none";
          case "required" -> "any";
          default -> "auto";
        });
      } else {
        toolChoice.put("type", "tool").put("name", choice.path("function").path("name").asText());
      }
    }
    if (openai.has("parallel_tool_calls") && !openai.get("parallel_tool_calls").asBoolean(true) && out.has("tools")) {
      if (toolChoice == null) {
        toolChoice = OpenAiChunks.JSON.createObjectNode().put("type", "auto");
      }
      if (!"none".equals(toolChoice.path("type").asText())) {
        toolChoice.put("disable_parallel_tool_use", true);
      }
    }
    if (toolChoice != null) {
      out.set("tool_choice", toolChoice);
    }
  }

  private static ArrayNode userBlocks(JsonNode content, String at) throws UpstreamException {
    ArrayNode blocks = OpenAiChunks.JSON.createArrayNode();
    List<Messages.Part> parts = Messages.parts(content);
    for (int j = 0; j < parts.size(); j++) {
      Messages.Part p = parts.get(j);
      if (p.isText()) {
        if (!p.text().isEmpty()) {
          blocks.addObject().put("type", "text").put("text", p.text());
        }
      } else if (p.isImage()) {
        ObjectNode image = blocks.addObject().put("type", "image");
        Messages.InlineImage inline = Messages.dataUrl(p.imageUrl());
        if (inline != null) {
          image.putObject("source").put("type", "base64").put("media_type", inline.mediaType()).put("data", inline.base64());
        } else {
          image.putObject("source").put("type", "url").put("url", p.imageUrl());
        }
      } else {
        throw UpstreamException.unsupported(at + ".content[" + j + "]",
            "Content of type '" + p.type() + "' is not supported by provider anthropic.");
      }
    }
    return blocks;
  }

  private static ArrayNode assistantBlocks(JsonNode m, String at, Continuity continuity) throws UpstreamException {
    ArrayNode blocks = OpenAiChunks.JSON.createArrayNode();
    for (ReasoningBlock b : continuity.blocks()) {
      switch (b.kind()) {
        case THINKING -> blocks.addObject().put("type", "thinking").put("thinking", b.text()).put("signature", b.opaque());
        case REDACTED -> blocks.addObject().put("type", "redacted_thinking").put("data", b.opaque());
        default -> {
          // other providers' kinds never carry this backend's tag
        }
      }
    }
    String text = Messages.text(m.path("content"));
    if (!text.isEmpty()) {
      blocks.addObject().put("type", "text").put("text", text);
    }
    JsonNode calls = m.path("tool_calls");
    for (int j = 0; j < calls.size(); j++) {
      JsonNode call = calls.get(j);
      blocks.addObject().put("type", "tool_use").put("id", call.path("id").asText())
          .put("name", call.path("function").path("name").asText())
          .set("input", Messages.arguments(call, at + ".tool_calls[" + j + "].function.arguments"));
    }
    return blocks;
  }

  /** Adds blocks as a message, merged into the previous one when it has the same role. */
  private static void append(ArrayNode messages, String role, ArrayNode blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
    if (last != null && role.equals(last.path("role").asText())) {
      ((ArrayNode) last.get("content")).addAll(blocks);
    } else {
      messages.addObject().put("role", role).set("content", blocks);
    }
  }

  private static void copy(JsonNode from, ObjectNode to, String name, String as) {
    if (from.hasNonNull(name)) {
      to.set(as, from.get(name));
    }
  }

  /** OpenAI's finish_reason for an Anthropic stop_reason. */
  public static String finishReason(String stopReason) {
    return switch (stopReason == null ? "" : stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      default -> "stop"; // end_turn, stop_sequence, pause_turn
    };
  }

  /**
   * Prompt tokens include the cached and cache-written ones, as OpenAI counts them; output
   * tokens include thinking, which Anthropic reports in {@code output_tokens_details}.
   */
  public static Usage usageOf(JsonNode usage) {
    long prompt = usage.path("input_tokens").asLong(0) + usage.path("cache_creation_input_tokens").asLong(0)
        + usage.path("cache_read_input_tokens").asLong(0);
    return new Usage(prompt, usage.path("output_tokens").asLong(0),
        usage.path("output_tokens_details").path("thinking_tokens").asLong(0), usage.path("cache_read_input_tokens").asLong(0));
  }

  /** A whole Messages answer as an OpenAI completion. */
  public static byte[] response(JsonNode message, long created) {
    return response(message, created, "", ChatContinuity.Source.NONE);
  }

  /** As {@link #response(JsonNode, long)}, with the thinking blocks carried for the next turn. */
  public static byte[] response(JsonNode message, long created, String backend, ChatContinuity.Source source) {
    return response(message, created, backend, source, ToolNames.IDENTITY);
  }

  /** As {@link #response(JsonNode, long, String, ChatContinuity.Source)}, with tool names mapped back to the client's. */
  public static byte[] response(JsonNode message, long created, String backend, ChatContinuity.Source source, ToolNames names) {
    TurnContinuity turn = new TurnContinuity(backend, source);
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    ArrayNode calls = OpenAiChunks.JSON.createArrayNode();
    boolean anyText = false;
    for (JsonNode block : message.path("content")) {
      switch (block.path("type").asText()) {
        case "text" -> {
          text.append(block.path("text").asText());
          anyText = true;
        }
        case "thinking" -> {
          reasoning.append(block.path("thinking").asText());
          turn.add(ReasoningBlock.thinking(block.path("thinking").asText(), block.path("signature").asText()));
        }
        case "redacted_thinking" -> turn.add(ReasoningBlock.redacted(block.path("data").asText()));
        case "tool_use" -> calls.add(OpenAiChunks.toolCall(block.path("id").asText(), names.client(block.path("name").asText()),
            block.path("input").isObject() ? block.path("input").toString() : "{}"));
        default -> {
          // server tool blocks have no OpenAI counterpart
        }
      }
    }
    return OpenAiChunks.completion(message.path("id").asText(), created, message.path("model").asText(),
        anyText || calls.isEmpty() ? text.toString() : null, reasoning.toString(), calls,
        finishReason(message.path("stop_reason").asText(null)), usageOf(message.path("usage")), turn);
  }

  public static StreamTranslator stream(boolean includeUsage, long created, String backend) {
    return stream(includeUsage, created, backend, ChatContinuity.Source.NONE);
  }

  public static StreamTranslator stream(boolean includeUsage, long created, String backend, ChatContinuity.Source source) {
    return stream(includeUsage, created, backend, source, ToolNames.IDENTITY);
  }

  public static StreamTranslator stream(boolean includeUsage, long created, String backend, ChatContinuity.Source source,
      ToolNames names) {
    return new Stream(includeUsage, created, backend, new TurnContinuity(backend, source), names);
  }

  /** Messages stream events to OpenAI chunks. */
  private static final class Stream implements StreamTranslator {
    private final boolean includeUsage;
    private final long created;
    private final String backend;
    private final TurnContinuity turn;
    private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
    private final Set<Integer> toolsWithArguments = new HashSet<>();
    private OpenAiChunks chunks;
    private int tools;
    private long prompt;
    private long cached;
    private long completion;
    private long thinkingTokens;
    private boolean finished;
    private boolean complete;
    /** The thinking block being streamed: its index, text so far and signature; -1 when none. */
    private int thinkingBlock = -1;
    private final StringBuilder thinking = new StringBuilder();
    private String signature = "";

    private final ToolNames names;

    Stream(boolean includeUsage, long created, String backend, TurnContinuity turn, ToolNames names) {
      this.includeUsage = includeUsage;
      this.created = created;
      this.backend = backend;
      this.turn = turn;
      this.names = names;
    }

    @Override
    public void onEvent(String event, JsonNode data, List<String> out) throws UpstreamException {
      String type = data.path("type").asText(event);
      switch (type) {
        case "message_start" -> {
          JsonNode message = data.path("message");
          chunks = new OpenAiChunks(message.path("id").asText(), created, message.path("model").asText());
          Usage u = usageOf(message.path("usage"));
          prompt = u.promptTokens();
          cached = u.cachedTokens();
          completion = u.completionTokens();
          thinkingTokens = u.reasoningTokens();
          out.add(chunks.role());
        }
        case "content_block_start" -> {
          JsonNode block = data.path("content_block");
          String blockType = block.path("type").asText();
          if ("tool_use".equals(blockType)) {
            int index = tools++;
            toolIndexByBlock.put(data.path("index").asInt(), index);
            out.add(turn.toolCallStart(started(), index, block.path("id").asText(), names.client(block.path("name").asText())));
          } else if ("thinking".equals(blockType)) {
            thinkingBlock = data.path("index").asInt();
            thinking.setLength(0);
            thinking.append(block.path("thinking").asText(""));
            signature = block.path("signature").asText("");
            if (!thinking.isEmpty()) {
              out.add(started().reasoning(thinking.toString()));
            }
          } else if ("redacted_thinking".equals(blockType)) {
            turn.add(ReasoningBlock.redacted(block.path("data").asText()));
          } else if ("text".equals(block.path("type").asText()) && !block.path("text").asText("").isEmpty()) {
            out.add(started().content(block.path("text").asText()));
          }
        }
        case "content_block_delta" -> {
          JsonNode delta = data.path("delta");
          switch (delta.path("type").asText()) {
            case "text_delta" -> out.add(started().content(delta.path("text").asText()));
            case "input_json_delta" -> {
              Integer index = toolIndexByBlock.get(data.path("index").asInt());
              String part = delta.path("partial_json").asText("");
              if (index != null && !part.isEmpty()) {
                toolsWithArguments.add(index);
                out.add(started().toolCallArguments(index, part));
              }
            }
            case "thinking_delta" -> {
              thinking.append(delta.path("thinking").asText());
              out.add(started().reasoning(delta.path("thinking").asText()));
            }
            case "signature_delta" -> signature += delta.path("signature").asText();
            default -> {
              // citations have no OpenAI counterpart
            }
          }
        }
        case "content_block_stop" -> {
          int block = data.path("index").asInt();
          if (block == thinkingBlock) {
            turn.add(ReasoningBlock.thinking(thinking.toString(), signature));
            thinkingBlock = -1;
          }
          Integer index = toolIndexByBlock.get(block);
          if (index != null && !toolsWithArguments.contains(index)) {
            // A tool called without arguments streams none; clients parse the arguments as JSON.
            toolsWithArguments.add(index);
            out.add(started().toolCallArguments(index, "{}"));
          }
        }
        case "message_delta" -> {
          JsonNode u = data.path("usage");
          if (u.has("output_tokens")) {
            completion = u.path("output_tokens").asLong();
          }
          if (u.has("input_tokens")) {
            prompt = usageOf(u).promptTokens();
          }
          if (u.has("cache_read_input_tokens")) {
            cached = u.path("cache_read_input_tokens").asLong();
          }
          if (u.path("output_tokens_details").has("thinking_tokens")) {
            thinkingTokens = u.path("output_tokens_details").path("thinking_tokens").asLong();
          }
          String stop = data.path("delta").path("stop_reason").asText(null);
          if (stop != null) {
            finished = true;
            turn.finish(started(), out);
            out.add(started().finish(finishReason(stop)));
          }
        }
        case "message_stop" -> complete = true;
        case "error" -> {
          JsonNode error = data.path("error");
          throw new UpstreamException(UpstreamException.Kind.STREAM, 0,
              error.path("message").asText("an error") + " (backend " + backend + ", in the stream)",
              error.path("type").asText("server_error"), error.path("type").asText(""), "", null);
        }
        default -> {
          // ping
        }
      }
    }

    private OpenAiChunks started() throws UpstreamException {
      if (chunks == null) {
        throw UpstreamException.protocol("backend " + backend + " streamed content before message_start");
      }
      return chunks;
    }

    @Override
    public void onEnd(List<String> out) throws UpstreamException {
      if (!complete && !finished) {
        throw UpstreamException.stream("backend " + backend + " ended the stream before the answer was complete");
      }
      complete = true;
      if (includeUsage && chunks != null) {
        out.add(chunks.usage(usage()));
      }
    }

    @Override
    public boolean complete() {
      return complete;
    }

    @Override
    public Usage usage() {
      return new Usage(prompt, completion, thinkingTokens, cached);
    }
  }
}
