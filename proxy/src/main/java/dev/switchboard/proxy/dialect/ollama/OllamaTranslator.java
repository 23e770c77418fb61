package dev.switchboard.proxy.dialect.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.exchange.ChatContinuity;
import dev.switchboard.proxy.exchange.Messages;
import dev.switchboard.proxy.exchange.OpenAiChunks;
import dev.switchboard.proxy.exchange.ReasoningBlock;
import dev.switchboard.proxy.exchange.StreamTranslator;
import dev.switchboard.proxy.exchange.TurnContinuity;
import dev.switchboard.proxy.exchange.Unsupported;
import dev.switchboard.proxy.upstream.UpstreamException;
import dev.switchboard.proxy.upstream.Usage;
import java.util.List;

/**
 * OpenAI chat completions to and from Ollama's native {@code POST /api/chat}: sampling parameters
 * go into {@code options} ({@code max_tokens} as {@code num_predict}), images inline as base64,
 * tool calls with object arguments; the newline-delimited stream becomes OpenAI chunks, and
 * {@code prompt_eval_count}/{@code eval_count} the usage.
 */
public final class OllamaTranslator {
  private static final String PROVIDER = "ollama";

  private OllamaTranslator() {}

  public static ObjectNode request(ObjectNode openai, boolean stream, String backend, boolean drop) throws UpstreamException {
    return request(openai, stream, backend, drop, ChatContinuity.Source.NONE);
  }

  /** As {@link #request(ObjectNode, boolean, String, boolean)}, with this backend's thinking back on its assistant messages. */
  public static ObjectNode request(ObjectNode openai, boolean stream, String backend, boolean drop, ChatContinuity.Source source)
      throws UpstreamException {
    new Unsupported(openai, PROVIDER, backend, drop)
        .reject("n", v -> v.asInt(1) != 1, "it answers with one choice")
        .reject("logprobs", Unsupported::isTrue, "")
        .reject("top_logprobs")
        .reject("logit_bias", v -> !v.isEmpty(), "")
        .reject("audio")
        .reject("prediction")
        .reject("web_search_options")
        .reject("tool_choice", v -> !(v.isTextual() && (v.asText().equals("auto") || v.asText().equals("none"))),
            "it always lets the model choose whether to call a tool");
    ObjectNode out = OpenAiChunks.JSON.createObjectNode();
    out.put("model", openai.path("model").asText());
    ArrayNode messages = out.putArray("messages");
    JsonNode all = openai.path("messages");
    ChatContinuity.Recovered recovered = ChatContinuity.recover(all, backend, source);
    for (int i = 0; i < all.size(); i++) {
      JsonNode m = all.get(i);
      String at = "messages[" + i + "]";
      String role = m.path("role").asText();
      ObjectNode message = OpenAiChunks.JSON.createObjectNode();
      switch (role) {
        case "system", "developer" -> message.put("role", "system").put("content", Messages.text(m.path("content")));
        case "user" -> {
          message.put("role", "user");
          StringBuilder text = new StringBuilder();
          ArrayNode images = OpenAiChunks.JSON.createArrayNode();
          List<Messages.Part> parts = Messages.parts(m.path("content"));
          for (int j = 0; j < parts.size(); j++) {
            Messages.Part p = parts.get(j);
            if (p.isText()) {
              text.append(text.isEmpty() ? "" : "\n").append(p.text());
            } else if (p.isImage()) {
              Messages.InlineImage inline = Messages.dataUrl(p.imageUrl());
              if (inline == null) {
                throw UpstreamException.unsupported(at + ".content[" + j + "].image_url",
                    "Provider ollama takes images inline: send them as data URLs (data:image/png;base64,...).");
              }
              images.add(inline.base64());
            } else {
              throw UpstreamException.unsupported(at + ".content[" + j + "]", "Content of type '" + p.type()
                  + "' is not supported by provider ollama.");
            }
          }
          message.put("content", text.toString());
          if (!images.isEmpty()) {
            message.set("images", images);
          }
        }
        case "assistant" -> {
          message.put("role", "assistant").put("content", Messages.text(m.path("content")));
          String thinking = String.join("", recovered.turn(i).of(ReasoningBlock.Kind.PLAIN).stream().map(ReasoningBlock::text).toList());
          if (!thinking.isEmpty()) {
            message.put("thinking", thinking);
          }
          JsonNode calls = m.path("tool_calls");
          if (!calls.isEmpty()) {
            ArrayNode toolCalls = message.putArray("tool_calls");
            for (int j = 0; j < calls.size(); j++) {
              ObjectNode function = toolCalls.addObject().putObject("function");
              function.put("name", calls.get(j).path("function").path("name").asText());
              function.set("arguments", Messages.arguments(calls.get(j), at + ".tool_calls[" + j + "].function.arguments"));
            }
          }
        }
        case "tool" -> {
          message.put("role", "tool").put("content", Messages.text(m.path("content")));
          String name = Messages.toolName(all, m.path("tool_call_id").asText());
          if (name != null) {
            message.put("tool_name", name);
          }
        }
        default -> throw UpstreamException.unsupported(at + ".role",
            "Messages with role '" + role + "' are not supported by provider ollama.");
      }
      messages.add(message);
    }
    out.put("stream", stream);
    ObjectNode options = OpenAiChunks.JSON.createObjectNode();
    copy(openai, options, "temperature", "temperature");
    copy(openai, options, "top_p", "top_p");
    copy(openai, options, "seed", "seed");
    copy(openai, options, "presence_penalty", "presence_penalty");
    copy(openai, options, "frequency_penalty", "frequency_penalty");
    JsonNode max = openai.hasNonNull("max_completion_tokens") ? openai.get("max_completion_tokens") : openai.get("max_tokens");
    if (max != null && !max.isNull()) {
      options.set("num_predict", max);
    }
    JsonNode stop = openai.get("stop");
    if (stop != null && !stop.isNull()) {
      ArrayNode sequences = options.putArray("stop");
      if (stop.isTextual()) {
        sequences.add(stop.asText());
      } else {
        stop.forEach(sequences::add);
      }
    }
    if (openai.path("options").isObject()) {
      options.setAll((ObjectNode) openai.get("options")); // Ollama's own options pass through
    }
    if (!options.isEmpty()) {
      out.set("options", options);
    }
    JsonNode format = openai.path("response_format");
    switch (format.path("type").asText("text")) {
      case "json_object" -> out.put("format", "json");
      case "json_schema" -> out.set("format", format.path("json_schema").path("schema"));
      default -> {
        // free text
      }
    }
    boolean noTools = "none".equals(openai.path("tool_choice").asText(""));
    if (!noTools && openai.path("tools").isArray() && !openai.get("tools").isEmpty()) {
      out.set("tools", openai.get("tools")); // Ollama takes OpenAI's tool format as it is
    }
    if (openai.hasNonNull("reasoning_effort") && !"none".equals(openai.get("reasoning_effort").asText())) {
      out.put("think", true);
    }
    for (String nativeField : List.of("keep_alive", "think")) {
      if (openai.hasNonNull(nativeField)) {
        out.set(nativeField, openai.get(nativeField));
      }
    }
    return out;
  }

  private static void copy(JsonNode from, ObjectNode to, String name, String as) {
    if (from.hasNonNull(name)) {
      to.set(as, from.get(name));
    }
  }

  public static String finishReason(String doneReason, boolean calledTools) {
    if (calledTools) {
      return "tool_calls";
    }
    return "length".equals(doneReason) ? "length" : "stop";
  }

  public static Usage usageOf(JsonNode done) {
    return new Usage(done.path("prompt_eval_count").asLong(0), done.path("eval_count").asLong(0), 0, 0);
  }

  private static ArrayNode toolCalls(JsonNode message) {
    ArrayNode calls = OpenAiChunks.JSON.createArrayNode();
    for (JsonNode call : message.path("tool_calls")) {
      JsonNode f = call.path("function");
      calls.add(OpenAiChunks.toolCall(call.path("id").asText(Messages.newCallId()), f.path("name").asText(),
          f.path("arguments").isTextual() ? f.get("arguments").asText() : f.path("arguments").toString()));
    }
    return calls;
  }

  public static byte[] response(JsonNode response, long created) {
    return response(response, created, "", ChatContinuity.Source.NONE);
  }

  public static byte[] response(JsonNode response, long created, String backend, ChatContinuity.Source source) {
    TurnContinuity turn = new TurnContinuity(backend, source);
    if (!response.path("message").path("thinking").asText("").isEmpty()) {
      turn.add(ReasoningBlock.plain(response.path("message").path("thinking").asText()));
    }
    JsonNode message = response.path("message");
    ArrayNode calls = toolCalls(message);
    String content = message.path("content").asText("");
    return OpenAiChunks.completion("chatcmpl-ollama-" + Long.toHexString(System.nanoTime()), created,
        response.path("model").asText(), content.isEmpty() && !calls.isEmpty() ? null : content,
        message.path("thinking").asText(""), calls, finishReason(response.path("done_reason").asText(""), !calls.isEmpty()),
        usageOf(response), turn);
  }

  public static StreamTranslator stream(String model, boolean includeUsage, long created, String backend) {
    return stream(model, includeUsage, created, backend, ChatContinuity.Source.NONE);
  }

  public static StreamTranslator stream(String model, boolean includeUsage, long created, String backend,
      ChatContinuity.Source source) {
    return new Stream(model, includeUsage, created, backend, new TurnContinuity(backend, source));
  }

  /** Ollama streams one JSON object per line; the last one has done: true and the counts. */
  private static final class Stream implements StreamTranslator {
    private final boolean includeUsage;
    private final String backend;
    private final OpenAiChunks chunks;
    private boolean started;
    private int tools;
    private boolean complete;
    private Usage usage = Usage.NONE;
    private final TurnContinuity turn;
    private final StringBuilder thinking = new StringBuilder();

    Stream(String model, boolean includeUsage, long created, String backend, TurnContinuity turn) {
      this.includeUsage = includeUsage;
      this.backend = backend;
      this.turn = turn;
      this.chunks = new OpenAiChunks("chatcmpl-ollama-" + Long.toHexString(System.nanoTime()), created, model);
    }

    @Override
    public void onEvent(String event, JsonNode data, List<String> out) throws UpstreamException {
      if (data.has("error")) {
        throw new UpstreamException(UpstreamException.Kind.STREAM, 0, data.path("error").asText("an error")
            + " (backend " + backend + ", in the stream)", "server_error", "", "", null);
      }
      if (!started) {
        started = true;
        out.add(chunks.role());
      }
      JsonNode message = data.path("message");
      String thinking = message.path("thinking").asText("");
      if (!thinking.isEmpty()) {
        this.thinking.append(thinking);
        out.add(chunks.reasoning(thinking));
      }
      String content = message.path("content").asText("");
      if (!content.isEmpty()) {
        out.add(chunks.content(content));
      }
      for (JsonNode call : toolCalls(message)) {
        keepThinking();
        int index = tools++;
        out.add(turn.toolCallStart(chunks, index, call.path("id").asText(), call.path("function").path("name").asText()));
        out.add(chunks.toolCallArguments(index, call.path("function").path("arguments").asText()));
      }
      if (data.path("done").asBoolean(false)) {
        usage = usageOf(data);
        keepThinking();
        turn.finish(chunks, out);
        out.add(chunks.finish(finishReason(data.path("done_reason").asText(""), tools > 0)));
        complete = true;
      }
    }

    @Override
    public void onEnd(List<String> out) throws UpstreamException {
      if (!complete) {
        throw UpstreamException.stream("backend " + backend + " ended the stream before the answer was complete");
      }
      if (includeUsage) {
        out.add(chunks.usage(usage));
      }
    }

    /** The thinking streamed so far becomes the turn's continuity, once, before the first tool call or the end. */
    private void keepThinking() {
      if (!thinking.isEmpty()) {
        turn.add(ReasoningBlock.plain(thinking.toString()));
        thinking.setLength(0);
      }
    }

    @Override
    public boolean complete() {
      return complete;
    }

    @Override
    public Usage usage() {
      return usage;
    }
  }
}
