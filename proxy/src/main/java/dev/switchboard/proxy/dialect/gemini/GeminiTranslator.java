package dev.switchboard.proxy.dialect.gemini;

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
import java.util.List;
import java.util.Set;

/**
 * OpenAI chat completions to and from Gemini's {@code generateContent} and
 * {@code streamGenerateContent}: messages become {@code contents} of {@code parts}, system
 * messages the {@code systemInstruction}, sampling parameters the {@code generationConfig},
 * tools {@code functionDeclarations}. Gemini gives function calls no ids, so the proxy makes them.
 */
public final class GeminiTranslator {
  private static final String PROVIDER = "gemini";
  private static final Set<String> BLOCKED = Set.of("SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII",
      "IMAGE_SAFETY", "LANGUAGE");

  private GeminiTranslator() {}

  /** Google's documented signature for function calls that no model made; Gemini accepts it in place of a real one. */
  public static final String PLACEHOLDER_SIGNATURE = "skip_thought_signature_validator";

  public static ObjectNode request(ObjectNode openai, String backend, boolean drop) throws UpstreamException {
    return request(openai, backend, drop, ChatContinuity.Source.NONE, new Degradations());
  }

  /**
   * As {@link #request(ObjectNode, String, boolean)}, with the thought signatures this backend
   * issued put back on their parts. A function call of the current turn whose signature did not
   * come back gets Google's placeholder (Gemini 3 refuses the call otherwise), and
   * {@code degradations} says so.
   */
  public static ObjectNode request(ObjectNode openai, String backend, boolean drop, ChatContinuity.Source source,
      Degradations degradations) throws UpstreamException {
    new Unsupported(openai, PROVIDER, backend, drop)
        .reject("n", v -> v.asInt(1) != 1, "this gateway translates one candidate")
        .reject("logprobs", Unsupported::isTrue, "")
        .reject("top_logprobs")
        .reject("logit_bias", v -> !v.isEmpty(), "")
        .reject("audio")
        .reject("prediction")
        .reject("web_search_options");
    ObjectNode out = OpenAiChunks.JSON.createObjectNode();
    StringBuilder system = new StringBuilder();
    ArrayNode contents = out.putArray("contents");
    JsonNode all = openai.path("messages");
    ChatContinuity.Recovered recovered = ChatContinuity.recover(all, backend, source);
    for (int i = 0; i < all.size(); i++) {
      JsonNode m = all.get(i);
      String at = "messages[" + i + "]";
      switch (m.path("role").asText()) {
        case "system", "developer" -> {
          if (!system.isEmpty()) {
            system.append("\n\n");
          }
          system.append(Messages.text(m.path("content")));
        }
        case "user" -> append(contents, "user", userParts(m.path("content"), at));
        case "assistant" -> {
          ArrayNode parts = OpenAiChunks.JSON.createArrayNode();
          Continuity continuity = recovered.turn(i);
          String text = Messages.text(m.path("content"));
          if (!text.isEmpty()) {
            ObjectNode part = parts.addObject().put("text", text);
            continuity.signature("").ifPresent(sig -> part.put("thoughtSignature", sig));
          }
          JsonNode calls = m.path("tool_calls");
          for (int j = 0; j < calls.size(); j++) {
            ObjectNode part = parts.addObject();
            ObjectNode call = part.putObject("functionCall");
            call.put("name", calls.get(j).path("function").path("name").asText());
            call.set("args", Messages.arguments(calls.get(j), at + ".tool_calls[" + j + "].function.arguments"));
            String id = calls.get(j).path("id").asText();
            continuity.signature(id).or(() -> java.util.Optional.ofNullable(recovered.bareSignatures().get(id)))
                .ifPresent(sig -> part.put("thoughtSignature", sig));
          }
          append(contents, "model", parts);
        }
        case "tool" -> {
          String callId = m.path("tool_call_id").asText();
          String name = Messages.toolName(all, callId);
          if (name == null) {
            throw UpstreamException.unsupported(at + ".tool_call_id", "Invalid '" + at + ".tool_call_id': no earlier tool call has id '"
                + callId + "', and provider gemini needs the function's name.");
          }
          ArrayNode parts = OpenAiChunks.JSON.createArrayNode();
          ObjectNode response = parts.addObject().putObject("functionResponse").put("name", name);
          String text = Messages.text(m.path("content"));
          JsonNode parsed = parseObject(text);
          response.set("response", parsed != null ? parsed : OpenAiChunks.JSON.createObjectNode().put("content", text));
          append(contents, "user", parts);
        }
        default -> throw UpstreamException.unsupported(at + ".role",
            "Messages with role '" + m.path("role").asText() + "' are not supported by provider gemini.");
      }
    }
    signCurrentTurn(contents, degradations);
    if (!system.isEmpty()) {
      out.putObject("systemInstruction").putArray("parts").addObject().put("text", system.toString());
    }
    ObjectNode config = out.putObject("generationConfig");
    copy(openai, config, "temperature", "temperature");
    copy(openai, config, "top_p", "topP");
    copy(openai, config, "seed", "seed");
    copy(openai, config, "presence_penalty", "presencePenalty");
    copy(openai, config, "frequency_penalty", "frequencyPenalty");
    JsonNode max = openai.hasNonNull("max_completion_tokens") ? openai.get("max_completion_tokens") : openai.get("max_tokens");
    if (max != null && !max.isNull()) {
      config.set("maxOutputTokens", max);
    }
    JsonNode stop = openai.get("stop");
    if (stop != null && !stop.isNull()) {
      ArrayNode sequences = config.putArray("stopSequences");
      if (stop.isTextual()) {
        sequences.add(stop.asText());
      } else {
        stop.forEach(sequences::add);
      }
    }
    JsonNode format = openai.path("response_format");
    switch (format.path("type").asText("text")) {
      case "json_object" -> config.put("responseMimeType", "application/json");
      case "json_schema" -> {
        config.put("responseMimeType", "application/json");
        config.set("responseJsonSchema", format.path("json_schema").path("schema"));
      }
      default -> {
        // plain text is Gemini's default
      }
    }
    int budget = switch (openai.path("reasoning_effort").asText("")) {
      case "minimal", "none" -> 0;
      case "low" -> 1024;
      case "medium" -> 8192;
      case "high" -> 24576;
      default -> -1;
    };
    if (budget >= 0) {
      ObjectNode thinking = config.putObject("thinkingConfig").put("thinkingBudget", budget);
      if (budget > 0) {
        thinking.put("includeThoughts", true); // thought summaries become reasoning_content
      }
    }
    if (config.isEmpty()) {
      out.remove("generationConfig");
    }
    tools(openai, out);
    return out;
  }

  /**
   * Gemini 3's rule: in the current turn (since the last user message that is not a function
   * response) the first function call of each model step carries a thought signature.
   */
  private static void signCurrentTurn(ArrayNode contents, Degradations degradations) {
    int start = 0;
    for (int i = 0; i < contents.size(); i++) {
      JsonNode c = contents.get(i);
      if ("user".equals(c.path("role").asText())) {
        for (JsonNode part : c.path("parts")) {
          if (!part.has("functionResponse")) {
            start = i + 1;
            break;
          }
        }
      }
    }
    for (int i = start; i < contents.size(); i++) {
      JsonNode c = contents.get(i);
      if (!"model".equals(c.path("role").asText())) {
        continue;
      }
      for (JsonNode part : c.path("parts")) {
        if (part.has("functionCall")) {
          if (!part.hasNonNull("thoughtSignature")) {
            ((ObjectNode) part).put("thoughtSignature", PLACEHOLDER_SIGNATURE);
            degradations.add("thought-signature-placeholder");
          }
          break;
        }
      }
    }
  }

  private static void tools(ObjectNode openai, ObjectNode out) throws UpstreamException {
    JsonNode tools = openai.get("tools");
    if (tools != null && !tools.isNull() && !tools.isEmpty()) {
      ArrayNode declarations = out.putArray("tools").addObject().putArray("functionDeclarations");
      for (int i = 0; i < tools.size(); i++) {
        JsonNode t = tools.get(i);
        if (!"function".equals(t.path("type").asText("function"))) {
          throw UpstreamException.unsupported("tools[" + i + "].type", "Only function tools are supported by provider gemini.");
        }
        JsonNode f = t.path("function");
        ObjectNode d = declarations.addObject().put("name", f.path("name").asText());
        if (f.hasNonNull("description")) {
          d.put("description", f.get("description").asText());
        }
        if (f.path("parameters").isObject()) {
          d.set("parametersJsonSchema", f.get("parameters"));
        }
      }
    }
    JsonNode choice = openai.get("tool_choice");
    if (choice != null && !choice.isNull()) {
      ObjectNode config = out.putObject("toolConfig").putObject("functionCallingConfig");
      if (choice.isTextual()) {
        config.put("mode", switch (choice.asText()) {
          case "none" -> "NONE";
          case "required" -> "ANY";
          default -> "AUTO";
        });
      } else {
        config.put("mode", "ANY").putArray("allowedFunctionNames").add(choice.path("function").path("name").asText());
      }
    }
  }

  private static ArrayNode userParts(JsonNode content, String at) throws UpstreamException {
    ArrayNode parts = OpenAiChunks.JSON.createArrayNode();
    List<Messages.Part> list = Messages.parts(content);
    for (int j = 0; j < list.size(); j++) {
      Messages.Part p = list.get(j);
      if (p.isText()) {
        parts.addObject().put("text", p.text());
      } else if (p.isImage()) {
        Messages.InlineImage inline = Messages.dataUrl(p.imageUrl());
        if (inline == null) {
          throw UpstreamException.unsupported(at + ".content[" + j + "].image_url",
              "Provider gemini takes images inline: send them as data URLs (data:image/png;base64,...).");
        }
        parts.addObject().putObject("inlineData").put("mimeType", inline.mediaType()).put("data", inline.base64());
      } else {
        throw UpstreamException.unsupported(at + ".content[" + j + "]", "Content of type '" + p.type()
            + "' is not supported by provider gemini.");
      }
    }
    return parts;
  }

  private static void append(ArrayNode contents, String role, ArrayNode parts) {
    if (parts.isEmpty()) {
      return;
    }
    JsonNode last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
    if (last != null && role.equals(last.path("role").asText())) {
      ((ArrayNode) last.get("parts")).addAll(parts);
    } else {
      contents.addObject().put("role", role).set("parts", parts);
    }
  }

  private static JsonNode parseObject(String text) {
    try {
      JsonNode n = OpenAiChunks.JSON.readTree(text);
      return n != null && n.isObject() ? n : null;
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  private static void copy(JsonNode from, ObjectNode to, String name, String as) {
    if (from.hasNonNull(name)) {
      to.set(as, from.get(name));
    }
  }

  /** OpenAI's finish_reason for a Gemini finishReason. */
  public static String finishReason(String reason, boolean calledTools) {
    if (reason == null || reason.isEmpty() || reason.equals("STOP") || reason.equals("FINISH_REASON_UNSPECIFIED")) {
      return calledTools ? "tool_calls" : "stop";
    }
    if (reason.equals("MAX_TOKENS")) {
      return "length";
    }
    if (BLOCKED.contains(reason)) {
      return "content_filter";
    }
    return calledTools ? "tool_calls" : "stop";
  }

  /** Completion tokens include thinking tokens, as OpenAI counts reasoning tokens. */
  public static Usage usageOf(JsonNode meta) {
    long thoughts = meta.path("thoughtsTokenCount").asLong(0);
    return new Usage(meta.path("promptTokenCount").asLong(0), meta.path("candidatesTokenCount").asLong(0) + thoughts, thoughts,
        meta.path("cachedContentTokenCount").asLong(0));
  }

  /** Refuses an answer whose prompt Gemini blocked (no candidates, a block reason). */
  public static void checkBlocked(JsonNode response, String backend) throws UpstreamException {
    String reason = response.path("promptFeedback").path("blockReason").asText("");
    if (!reason.isEmpty() && response.path("candidates").isEmpty()) {
      throw new UpstreamException(UpstreamException.Kind.HTTP, 400, "Gemini blocked the prompt (" + reason
          + ") (backend " + backend + ")", "invalid_request_error", "content_filter", "messages", null);
    }
  }

  public static byte[] response(JsonNode response, String model, long created, String backend) throws UpstreamException {
    return response(response, model, created, backend, ChatContinuity.Source.NONE);
  }

  /** As {@link #response(JsonNode, String, long, String)}, with the thought signatures carried for the next turn. */
  public static byte[] response(JsonNode response, String model, long created, String backend, ChatContinuity.Source source)
      throws UpstreamException {
    return response(response, model, created, backend, source, ToolNames.IDENTITY);
  }

  /** As {@link #response(JsonNode, String, long, String, ChatContinuity.Source)}, with function names mapped back to the client's. */
  public static byte[] response(JsonNode response, String model, long created, String backend, ChatContinuity.Source source,
      ToolNames names) throws UpstreamException {
    checkBlocked(response, backend);
    TurnContinuity turn = new TurnContinuity(backend, source);
    JsonNode candidate = response.path("candidates").path(0);
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    ArrayNode calls = OpenAiChunks.JSON.createArrayNode();
    boolean anyText = false;
    for (JsonNode part : candidate.path("content").path("parts")) {
      if (part.has("functionCall")) {
        JsonNode call = part.get("functionCall");
        String id = call.path("id").asText(Messages.newCallId());
        signature(part, id, turn);
        calls.add(OpenAiChunks.toolCall(id, names.client(call.path("name").asText()),
            call.path("args").isObject() ? call.get("args").toString() : "{}"));
        continue;
      }
      signature(part, "", turn);
      if (part.path("thought").asBoolean(false)) {
        reasoning.append(part.path("text").asText());
      } else if (part.has("text")) {
        text.append(part.get("text").asText());
        anyText = true;
      }
    }
    JsonNode meta = response.path("usageMetadata");
    return OpenAiChunks.completion(response.path("responseId").asText("chatcmpl-" + Long.toHexString(System.nanoTime())),
        created, response.path("modelVersion").asText(model), anyText || calls.isEmpty() ? text.toString() : null,
        reasoning.toString(), calls, finishReason(candidate.path("finishReason").asText(""), !calls.isEmpty()), usageOf(meta),
        turn);
  }

  /** Keeps a part's thought signature, anchored at its tool call ("" for a text part: the last one wins). */
  private static void signature(JsonNode part, String anchor, TurnContinuity turn) {
    String sig = part.path("thoughtSignature").asText("");
    if (!sig.isEmpty()) {
      turn.add(ReasoningBlock.signature(anchor, sig));
    }
  }

  public static StreamTranslator stream(String model, boolean includeUsage, long created, String backend) {
    return stream(model, includeUsage, created, backend, ChatContinuity.Source.NONE);
  }

  public static StreamTranslator stream(String model, boolean includeUsage, long created, String backend,
      ChatContinuity.Source source) {
    return stream(model, includeUsage, created, backend, source, ToolNames.IDENTITY);
  }

  public static StreamTranslator stream(String model, boolean includeUsage, long created, String backend,
      ChatContinuity.Source source, ToolNames names) {
    return new Stream(model, includeUsage, created, backend, new TurnContinuity(backend, source), names);
  }

  /** Each streamed GenerateContentResponse carries the next parts; the last one the finish reason and usage. */
  private static final class Stream implements StreamTranslator {
    private final String model;
    private final boolean includeUsage;
    private final long created;
    private final String backend;
    private OpenAiChunks chunks;
    private int tools;
    private boolean finished;
    private Usage usage = Usage.NONE;
    private final TurnContinuity turn;

    private final ToolNames names;

    Stream(String model, boolean includeUsage, long created, String backend, TurnContinuity turn, ToolNames names) {
      this.names = names;
      this.model = model;
      this.includeUsage = includeUsage;
      this.created = created;
      this.backend = backend;
      this.turn = turn;
    }

    @Override
    public void onEvent(String event, JsonNode data, List<String> out) throws UpstreamException {
      if (data.has("error")) {
        JsonNode error = data.get("error");
        throw new UpstreamException(UpstreamException.Kind.STREAM, 0, error.path("message").asText("an error")
            + " (backend " + backend + ", in the stream)", error.path("status").asText(""), "", "", null);
      }
      checkBlocked(data, backend);
      if (chunks == null) {
        chunks = new OpenAiChunks(data.path("responseId").asText("chatcmpl-" + Long.toHexString(System.nanoTime())), created,
            data.path("modelVersion").asText(model));
        out.add(chunks.role());
      }
      JsonNode candidate = data.path("candidates").path(0);
      for (JsonNode part : candidate.path("content").path("parts")) {
        if (part.has("functionCall")) {
          JsonNode call = part.get("functionCall");
          int index = tools++;
          String id = call.path("id").asText(Messages.newCallId());
          signature(part, id, turn);
          out.add(turn.toolCallStart(chunks, index, id, names.client(call.path("name").asText())));
          out.add(chunks.toolCallArguments(index, call.path("args").isObject() ? call.get("args").toString() : "{}"));
          continue;
        }
        signature(part, "", turn);
        if (part.path("thought").asBoolean(false)) {
          out.add(chunks.reasoning(part.path("text").asText()));
        } else if (part.has("text") && !part.get("text").asText().isEmpty()) {
          out.add(chunks.content(part.get("text").asText()));
        }
      }
      if (data.has("usageMetadata")) {
        usage = usageOf(data.get("usageMetadata"));
      }
      String reason = candidate.path("finishReason").asText("");
      if (!reason.isEmpty() && !finished) {
        finished = true;
        turn.finish(chunks, out);
        out.add(chunks.finish(finishReason(reason, tools > 0)));
      }
    }

    @Override
    public void onEnd(List<String> out) throws UpstreamException {
      if (!finished) {
        throw UpstreamException.stream("backend " + backend + " ended the stream before the answer was complete");
      }
      if (includeUsage) {
        out.add(chunks.usage(usage));
      }
    }

    @Override
    public boolean complete() {
      return false; // Gemini streams simply end; usage may come with the last chunk
    }

    @Override
    public Usage usage() {
      return usage;
    }
  }
}
