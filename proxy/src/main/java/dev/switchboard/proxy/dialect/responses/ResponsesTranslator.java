package dev.switchboard.proxy.dialect.responses;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI chat completions to and from the Responses API (as Azure OpenAI serves it): messages
 * become {@code input} items, tool calls {@code function_call} and {@code function_call_output}
 * items, {@code reasoning_effort} and {@code verbosity} become {@code reasoning.effort} and
 * {@code text.verbosity}; output items and {@code response.*} stream events come back as chat
 * completions and chunks, with reasoning tokens in {@code usage.completion_tokens_details}.
 */
public final class ResponsesTranslator {
  private static final String PROVIDER = "azure-openai (Responses API)";

  private ResponsesTranslator() {}

  public static ObjectNode request(ObjectNode openai, boolean stream, String backend, boolean drop) throws UpstreamException {
    return request(openai, stream, backend, drop, "auto", ChatContinuity.Source.NONE);
  }

  /**
   * As {@link #request(ObjectNode, boolean, String, boolean)}, with this backend's reasoning items
   * (and their encrypted content) put back before the output they preceded. Nothing is stored on
   * the provider's side, so a reasoning request asks for the encrypted content to carry, and for
   * a summary ({@code summary}: auto, concise, detailed; none asks for none).
   */
  public static ObjectNode request(ObjectNode openai, boolean stream, String backend, boolean drop, String summary,
      ChatContinuity.Source source) throws UpstreamException {
    new Unsupported(openai, PROVIDER, backend, drop)
        .reject("n", v -> v.asInt(1) != 1, "it answers with one choice")
        .reject("logprobs", Unsupported::isTrue, "")
        .reject("top_logprobs")
        .reject("logit_bias", v -> !v.isEmpty(), "")
        .reject("stop", v -> !v.isEmpty(), "the Responses API has no stop sequences")
        .reject("presence_penalty", Unsupported.not(0), "")
        .reject("frequency_penalty", Unsupported.not(0), "")
        .reject("seed")
        .reject("audio")
        .reject("prediction");
    ObjectNode out = OpenAiChunks.JSON.createObjectNode();
    out.put("model", openai.path("model").asText());
    ArrayNode input = out.putArray("input");
    JsonNode all = openai.path("messages");
    ChatContinuity.Recovered recovered = ChatContinuity.recover(all, backend, source);
    boolean carried = false;
    for (int i = 0; i < all.size(); i++) {
      JsonNode m = all.get(i);
      String at = "messages[" + i + "]";
      String role = m.path("role").asText();
      switch (role) {
        case "system", "developer", "user" -> {
          ObjectNode item = input.addObject().put("type", "message").put("role", role);
          ArrayNode content = item.putArray("content");
          List<Messages.Part> parts = Messages.parts(m.path("content"));
          for (int j = 0; j < parts.size(); j++) {
            Messages.Part p = parts.get(j);
            if (p.isText()) {
              content.addObject().put("type", "input_text").put("text", p.text());
            } else if (p.isImage() && role.equals("user")) {
              content.addObject().put("type", "input_image").put("image_url", p.imageUrl());
            } else {
              throw UpstreamException.unsupported(at + ".content[" + j + "]", "Content of type '" + p.type()
                  + "' in a " + role + " message is not supported by the Responses API.");
            }
          }
        }
        case "assistant" -> {
          for (ReasoningBlock b : recovered.turn(i).of(ReasoningBlock.Kind.ENCRYPTED)) {
            ObjectNode item = input.addObject().put("type", "reasoning").put("id", b.anchor());
            ArrayNode summaries = item.putArray("summary");
            if (!b.text().isEmpty()) {
              summaries.addObject().put("type", "summary_text").put("text", b.text());
            }
            item.put("encrypted_content", b.opaque());
            carried = true;
          }
          String text = Messages.text(m.path("content"));
          if (!text.isEmpty()) {
            input.addObject().put("type", "message").put("role", "assistant")
                .putArray("content").addObject().put("type", "output_text").put("text", text);
          }
          for (JsonNode call : m.path("tool_calls")) {
            JsonNode args = call.path("function").path("arguments");
            input.addObject().put("type", "function_call").put("call_id", call.path("id").asText())
                .put("name", call.path("function").path("name").asText())
                .put("arguments", args.isTextual() ? args.asText() : args.toString());
          }
        }
        case "tool" -> input.addObject().put("type", "function_call_output")
            .put("call_id", m.path("tool_call_id").asText()).put("output", Messages.text(m.path("content")));
        default -> throw UpstreamException.unsupported(at + ".role",
            "Messages with role '" + role + "' are not supported by the Responses API.");
      }
    }
    if (stream) {
      out.put("stream", true);
    }
    out.put("store", false); // the gateway is stateless; nothing should be kept on the provider's side
    JsonNode max = openai.hasNonNull("max_completion_tokens") ? openai.get("max_completion_tokens") : openai.get("max_tokens");
    if (max != null && !max.isNull()) {
      out.set("max_output_tokens", max);
    }
    copy(openai, out, "temperature");
    copy(openai, out, "top_p");
    copy(openai, out, "parallel_tool_calls");
    copy(openai, out, "user");
    copy(openai, out, "metadata");
    copy(openai, out, "service_tier");
    String effort = openai.path("reasoning_effort").asText("");
    if (!effort.isEmpty()) {
      ObjectNode reasoning = out.putObject("reasoning").put("effort", effort);
      if (!effort.equals("none") && !summary.equals("none")) {
        reasoning.put("summary", summary);
      }
    }
    if (carried || (!effort.isEmpty() && !effort.equals("none"))) {
      out.putArray("include").add("reasoning.encrypted_content");
    }
    ObjectNode text = OpenAiChunks.JSON.createObjectNode();
    if (openai.hasNonNull("verbosity")) {
      text.put("verbosity", openai.get("verbosity").asText());
    }
    JsonNode format = openai.path("response_format");
    switch (format.path("type").asText("text")) {
      case "json_object" -> text.putObject("format").put("type", "json_object");
      case "json_schema" -> {
        JsonNode schema = format.path("json_schema");
        ObjectNode f = text.putObject("format").put("type", "json_schema").put("name", schema.path("name").asText("response"));
        f.set("schema", schema.path("schema"));
        if (schema.has("strict")) {
          f.set("strict", schema.get("strict"));
        }
      }
      default -> {
        // plain text
      }
    }
    if (!text.isEmpty()) {
      out.set("text", text);
    }
    tools(openai, out);
    return out;
  }

  private static void tools(ObjectNode openai, ObjectNode out) throws UpstreamException {
    JsonNode tools = openai.get("tools");
    if (tools != null && !tools.isNull() && !tools.isEmpty()) {
      ArrayNode list = out.putArray("tools");
      for (int i = 0; i < tools.size(); i++) {
        JsonNode t = tools.get(i);
        if (!"function".equals(t.path("type").asText("function"))) {
          throw UpstreamException.unsupported("tools[" + i + "].type", "Only function tools are translated to the Responses API.");
        }
        JsonNode f = t.path("function");
        ObjectNode tool = list.addObject().put("type", "function").put("name", f.path("name").asText());
        if (f.hasNonNull("description")) {
          tool.put("description", f.get("description").asText());
        }
        if (f.has("parameters")) {
          tool.set("parameters", f.get("parameters"));
        }
        if (f.has("strict")) {
          tool.set("strict", f.get("strict"));
        }
      }
    }
    JsonNode choice = openai.get("tool_choice");
    if (choice != null && !choice.isNull()) {
      if (choice.isTextual()) {
        out.put("tool_choice", choice.asText());
      } else {
        out.putObject("tool_choice").put("type", "function").put("name", choice.path("function").path("name").asText());
      }
    }
  }

  private static void copy(JsonNode from, ObjectNode to, String name) {
    if (from.hasNonNull(name)) {
      to.set(name, from.get(name));
    }
  }

  public static Usage usageOf(JsonNode usage) {
    return new Usage(usage.path("input_tokens").asLong(0), usage.path("output_tokens").asLong(0),
        usage.path("output_tokens_details").path("reasoning_tokens").asLong(0),
        usage.path("input_tokens_details").path("cached_tokens").asLong(0));
  }

  /** A reasoning output item as a continuity block; nothing to carry without encrypted content. */
  private static void reasoningItem(JsonNode item, TurnContinuity turn) {
    String encrypted = item.path("encrypted_content").asText("");
    if (!encrypted.isEmpty()) {
      StringBuilder summary = new StringBuilder();
      item.path("summary").forEach(s -> summary.append(summary.isEmpty() ? "" : "\n\n").append(s.path("text").asText()));
      turn.add(ReasoningBlock.encrypted(item.path("id").asText(), summary.toString(), encrypted));
    }
  }

  /** The finish reason of a finished response object. */
  public static String finishReason(JsonNode response, boolean calledTools) {
    if ("incomplete".equals(response.path("status").asText())) {
      String reason = response.path("incomplete_details").path("reason").asText("");
      return reason.equals("content_filter") ? "content_filter" : "length";
    }
    return calledTools ? "tool_calls" : "stop";
  }

  private static UpstreamException failed(JsonNode error, String backend) {
    return new UpstreamException(UpstreamException.Kind.STREAM, 0, error.path("message").asText("the response failed")
        + " (backend " + backend + ")", "server_error", error.path("code").asText(""), "", null);
  }

  public static byte[] response(JsonNode response, long created, String backend) throws UpstreamException {
    return response(response, created, backend, ChatContinuity.Source.NONE);
  }

  public static byte[] response(JsonNode response, long created, String backend, ChatContinuity.Source source)
      throws UpstreamException {
    TurnContinuity turn = new TurnContinuity(backend, source);
    if ("failed".equals(response.path("status").asText())) {
      throw failed(response.path("error"), backend);
    }
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    ArrayNode calls = OpenAiChunks.JSON.createArrayNode();
    boolean anyText = false;
    for (JsonNode item : response.path("output")) {
      switch (item.path("type").asText()) {
        case "message" -> {
          for (JsonNode part : item.path("content")) {
            if ("output_text".equals(part.path("type").asText())) {
              text.append(part.path("text").asText());
              anyText = true;
            } else if ("refusal".equals(part.path("type").asText())) {
              text.append(part.path("refusal").asText());
              anyText = true;
            }
          }
        }
        case "function_call" -> calls.add(OpenAiChunks.toolCall(item.path("call_id").asText(), item.path("name").asText(),
            item.path("arguments").asText("{}")));
        case "reasoning" -> {
          item.path("summary").forEach(s -> reasoning.append(reasoning.isEmpty() ? "" : "\n\n").append(s.path("text").asText()));
          reasoningItem(item, turn);
        }
        default -> {
          // built-in tool items have no chat counterpart
        }
      }
    }
    JsonNode usage = response.path("usage");
    return OpenAiChunks.completion(response.path("id").asText(), response.path("created_at").asLong(created),
        response.path("model").asText(), anyText || calls.isEmpty() ? text.toString() : null, reasoning.toString(), calls,
        finishReason(response, !calls.isEmpty()), usageOf(usage), turn);
  }

  public static StreamTranslator stream(String model, boolean includeUsage, long created, String backend) {
    return stream(model, includeUsage, created, backend, ChatContinuity.Source.NONE);
  }

  public static StreamTranslator stream(String model, boolean includeUsage, long created, String backend,
      ChatContinuity.Source source) {
    return new Stream(model, includeUsage, created, backend, new TurnContinuity(backend, source));
  }

  /** {@code response.*} events to chunks. Tool calls are numbered in the order their items appear. */
  private static final class Stream implements StreamTranslator {
    private final String model;
    private final boolean includeUsage;
    private final long created;
    private final String backend;
    private final Map<String, Integer> toolIndexByItem = new HashMap<>();
    private OpenAiChunks chunks;
    private int tools;
    private boolean complete;
    private Usage usage = Usage.NONE;
    private final TurnContinuity turn;
    private final java.util.Set<Integer> withArguments = new java.util.HashSet<>();
    private boolean summaryPart;

    Stream(String model, boolean includeUsage, long created, String backend, TurnContinuity turn) {
      this.model = model;
      this.includeUsage = includeUsage;
      this.created = created;
      this.backend = backend;
      this.turn = turn;
    }

    @Override
    public void onEvent(String event, JsonNode data, List<String> out) throws UpstreamException {
      String type = data.path("type").asText(event);
      switch (type) {
        case "response.created" -> {
          JsonNode r = data.path("response");
          chunks = new OpenAiChunks(r.path("id").asText(), r.path("created_at").asLong(created), r.path("model").asText(model));
          out.add(chunks.role());
        }
        case "response.output_item.added" -> {
          JsonNode item = data.path("item");
          if ("function_call".equals(item.path("type").asText())) {
            int index = tools++;
            toolIndexByItem.put(item.path("id").asText(), index);
            toolIndexByItem.put("#" + data.path("output_index").asInt(), index);
            out.add(turn.toolCallStart(started(), index, item.path("call_id").asText(), item.path("name").asText()));
            if (!item.path("arguments").asText("").isEmpty()) {
              withArguments.add(index);
              out.add(started().toolCallArguments(index, item.path("arguments").asText()));
            }
          }
        }
        case "response.function_call_arguments.delta" -> {
          Integer index = toolIndexByItem.getOrDefault(data.path("item_id").asText(),
              toolIndexByItem.get("#" + data.path("output_index").asInt()));
          if (index != null && !data.path("delta").asText("").isEmpty()) {
            withArguments.add(index);
            out.add(started().toolCallArguments(index, data.path("delta").asText()));
          }
        }
        case "response.output_text.delta", "response.refusal.delta" -> out.add(started().content(data.path("delta").asText()));
        case "response.reasoning_summary_part.added" -> {
          if (summaryPart) {
            out.add(started().reasoning("\n\n")); // summaries of several parts read as paragraphs
          }
          summaryPart = true;
        }
        case "response.reasoning_summary_text.delta" -> out.add(started().reasoning(data.path("delta").asText()));
        case "response.output_item.done" -> {
          JsonNode item = data.path("item");
          if ("reasoning".equals(item.path("type").asText())) {
            reasoningItem(item, turn);
          }
          Integer index = toolIndexByItem.get(item.path("id").asText());
          if ("function_call".equals(item.path("type").asText()) && index != null && withArguments.add(index)) {
            // no argument deltas came: the done item has them all, or the call takes none
            String args = item.path("arguments").asText("");
            out.add(started().toolCallArguments(index, args.isEmpty() ? "{}" : args));
          }
        }
        case "response.completed", "response.incomplete" -> {
          JsonNode r = data.path("response");
          usage = usageOf(r.path("usage"));
          if (turn.continuity().isEmpty()) {
            // without item done events, the final response still lists every reasoning item
            for (JsonNode item : r.path("output")) {
              if ("reasoning".equals(item.path("type").asText())) {
                reasoningItem(item, turn);
              }
            }
          }
          for (int index = 0; index < tools; index++) {
            if (withArguments.add(index)) {
              out.add(started().toolCallArguments(index, "{}"));
            }
          }
          turn.finish(started(), out);
          out.add(started().finish(finishReason(r, tools > 0)));
          complete = true;
        }
        case "response.failed" -> throw failed(data.path("response").path("error"), backend);
        case "error" -> throw failed(data.has("error") ? data.get("error") : data, backend);
        default -> {
          // in_progress, content_part and *.done events repeat what the deltas said
        }
      }
    }

    private OpenAiChunks started() throws UpstreamException {
      if (chunks == null) {
        throw UpstreamException.protocol("backend " + backend + " streamed output before response.created");
      }
      return chunks;
    }

    @Override
    public void onEnd(List<String> out) throws UpstreamException {
      if (!complete) {
        throw UpstreamException.stream("backend " + backend + " ended the stream before the response completed");
      }
      if (includeUsage) {
        out.add(chunks.usage(usage));
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
