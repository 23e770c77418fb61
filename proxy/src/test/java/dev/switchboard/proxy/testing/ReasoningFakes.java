package dev.switchboard.proxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reasoning models behind each provider's wire format, enforcing each provider's continuity rule
 * the way its API does, with its words: Anthropic's thinking-block rule and signature check,
 * Gemini 3's thought signatures, the Responses API's reasoning items, and (stricter than the real
 * servers, to prove the data comes back) Ollama's thinking and a DeepSeek-style
 * {@code reasoning_content} rule for OpenAI-compatible servers.
 *
 * <p>Every model plays the same agent: on a conversation with no tool result it calls
 * {@code get_weather} with {@code {"city":"Paris"}}, after one it calls {@code get_time} with no
 * arguments, after two it answers {@value #ANSWER}. Each answer reasons first.
 */
public final class ReasoningFakes {
  public static final String ANSWER = "Paris is sunny at noon.";
  static final ObjectMapper JSON = new ObjectMapper();

  private ReasoningFakes() {}

  /** Signs with a key of this fake's own, so another fake's data never verifies. */
  static final class Signer {
    private final byte[] key = Long.toHexString(System.nanoTime() ^ System.identityHashCode(new Object())).getBytes();

    String sign(String content) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    boolean verifies(String content, String signature) {
      return sign(content).equals(signature);
    }
  }

  /** The agent's next step, by the number of tool results so far. */
  record Step(int toolResults) {
    boolean answers() {
      return toolResults >= 2;
    }

    String tool() {
      return toolResults == 0 ? "get_weather" : "get_time";
    }

    String arguments() {
      return toolResults == 0 ? "{\"city\":\"Paris\"}" : "{}";
    }

    String thought() {
      return "Step " + (toolResults + 1) + ": the user wants the weather, \"quoted\" and caf\u00e9 \ud83c\udf24; I should "
          + (answers() ? "answer." : "call " + tool() + ".");
    }
  }

  static void json(ServerResponse res, int status, Object body) {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(body.toString().getBytes(StandardCharsets.UTF_8));
  }

  static void events(ServerResponse res, String contentType, List<String> frames) throws Exception {
    res.status(200);
    res.header(HeaderNames.CONTENT_TYPE, contentType);
    OutputStream out = res.outputStream();
    for (String f : frames) {
      out.write(f.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    out.close();
  }

  static String sse(String event, JsonNode data) {
    return (event.isEmpty() ? "" : "event: " + event + "\n") + "data: " + data + "\n\n";
  }

  /** Anthropic's rule for tool names, in its words, or null when every name keeps it. */
  public static String anthropicToolNames(JsonNode body) {
    JsonNode tools = body.path("tools");
    for (int i = 0; i < tools.size(); i++) {
      if (tools.get(i).has("name") && !tools.get(i).path("name").asText().matches("[a-zA-Z0-9_-]{1,128}")) {
        return "tools." + i + ".custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'";
      }
    }
    return null;
  }

  /** Gemini's rule for function names, in its words, or null when every name keeps it. */
  public static String geminiFunctionNames(JsonNode body) {
    JsonNode tools = body.path("tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode declarations = tools.get(i).path("functionDeclarations");
      for (int j = 0; j < declarations.size(); j++) {
        if (!declarations.get(j).path("name").asText().matches("[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}")) {
          return "* GenerateContentRequest.tools[" + i + "].function_declarations[" + j + "].name: Invalid function name. Must start"
              + " with a letter or an underscore. Must be alphameric (a-z, A-Z, 0-9), underscores (_), dots (.), colons (:) or"
              + " dashes (-), with a maximum length of 64.";
        }
      }
    }
    return null;
  }

  static ObjectNode obj() {
    return JSON.createObjectNode();
  }

  // ------------------------------------------------------------------ Anthropic

  /** {@code POST /v1/messages} with extended thinking. */
  public static final class Anthropic {
    public static final String FINAL_ASSISTANT_RULE = "When `thinking` is enabled, a final `assistant` message must start with a"
        + " thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking"
        + " blocks from previous turns. To avoid this requirement, disable `thinking`. Please consult our documentation at"
        + " https://docs.claude.com/en/docs/build-with-claude/extended-thinking";
    private final Signer signer = new Signer();
    private final Set<String> redacted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger ids = new AtomicInteger();
    /** Requests that had thinking on. */
    public final AtomicInteger thinkingRequests = new AtomicInteger();

    public FakeUpstream.Behaviour behaviour() {
      return (req, res, r) -> {
        JsonNode body = JSON.readTree(r.body());
        String refusal = check(body);
        if (refusal != null) {
          json(res, 400, obj().put("type", "error").set("error", obj().put("type", "invalid_request_error").put("message", refusal)));
          return;
        }
        boolean thinking = "enabled".equals(body.path("thinking").path("type").asText());
        if (thinking) {
          thinkingRequests.incrementAndGet();
        }
        Step step = new Step(count(body, "tool_result"));
        if (body.path("stream").asBoolean()) {
          events(res, "text/event-stream", stream(step, thinking));
        } else {
          json(res, 200, message(step, thinking));
        }
      };
    }

    private String check(JsonNode body) {
      String badName = anthropicToolNames(body);
      if (badName != null) {
        return badName;
      }
      JsonNode messages = body.path("messages");
      int last = -1;
      for (int i = 0; i < messages.size(); i++) {
        if ("assistant".equals(messages.get(i).path("role").asText())) {
          last = i;
        }
      }
      for (int i = 0; i < messages.size(); i++) {
        JsonNode content = messages.get(i).path("content");
        for (int j = 0; j < content.size(); j++) {
          JsonNode block = content.get(j);
          String type = block.path("type").asText();
          if (type.equals("thinking") && !signer.verifies(block.path("thinking").asText(), block.path("signature").asText())) {
            return "messages." + i + ".content." + j + ": Invalid `signature` in `thinking` block";
          }
          if (type.equals("redacted_thinking") && !redacted.contains(block.path("data").asText())) {
            return "messages." + i + ".content." + j + ": Invalid `data` in `redacted_thinking` block";
          }
        }
      }
      if ("enabled".equals(body.path("thinking").path("type").asText()) && last >= 0) {
        JsonNode content = messages.get(last).path("content");
        boolean calls = false;
        for (JsonNode b : content) {
          calls |= "tool_use".equals(b.path("type").asText());
        }
        String first = content.path(0).path("type").asText();
        if (calls && !first.equals("thinking") && !first.equals("redacted_thinking")) {
          return "messages." + last + ".content.0.type: Expected `thinking` or `redacted_thinking`, but found `" + first + "`. "
              + FINAL_ASSISTANT_RULE;
        }
      }
      return null;
    }

    private ArrayNode blocks(Step step, boolean thinking) {
      ArrayNode content = JSON.createArrayNode();
      if (thinking) {
        content.addObject().put("type", "thinking").put("thinking", step.thought()).put("signature", signer.sign(step.thought()));
        if (step.toolResults() == 1) {
          String data = "EmwKAhgBEgy" + signer.sign("redacted" + ids.incrementAndGet());
          redacted.add(data);
          content.addObject().put("type", "redacted_thinking").put("data", data);
        }
      }
      if (step.answers()) {
        content.addObject().put("type", "text").put("text", ANSWER);
      } else {
        ObjectNode use = content.addObject().put("type", "tool_use").put("id", "toolu_" + signer.sign("id" + ids.incrementAndGet())
            .replaceAll("[^A-Za-z0-9]", "").substring(0, 20)).put("name", step.tool());
        try {
          use.set("input", JSON.readTree(step.arguments()));
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
      }
      return content;
    }

    private static ObjectNode usage() {
      ObjectNode u = obj().put("input_tokens", 20).put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 5)
          .put("output_tokens", 30);
      u.putObject("output_tokens_details").put("thinking_tokens", 12);
      return u;
    }

    private ObjectNode message(Step step, boolean thinking) {
      ObjectNode m = obj().put("id", "msg_" + ids.incrementAndGet()).put("type", "message").put("role", "assistant")
          .put("model", "claude-fake");
      m.set("content", blocks(step, thinking));
      m.put("stop_reason", step.answers() ? "end_turn" : "tool_use").putNull("stop_sequence");
      m.set("usage", usage());
      return m;
    }

    /** The whole stream this fake sends for the turn after {@code toolResults} results, with thinking on. */
    public String streamBody(int toolResults) {
      return String.join("", stream(new Step(toolResults), true));
    }

    private List<String> stream(Step step, boolean thinking) {
      List<String> frames = new ArrayList<>();
      ObjectNode start = obj().put("id", "msg_" + ids.incrementAndGet()).put("type", "message").put("role", "assistant")
          .put("model", "claude-fake");
      start.putArray("content");
      start.putNull("stop_reason");
      start.set("usage", obj().put("input_tokens", 20).put("cache_read_input_tokens", 5).put("output_tokens", 1));
      frames.add(sse("message_start", obj().put("type", "message_start").set("message", start)));
      ArrayNode blocks = blocks(step, thinking);
      for (int i = 0; i < blocks.size(); i++) {
        JsonNode b = blocks.get(i);
        String type = b.path("type").asText();
        ObjectNode head = obj().put("type", "content_block_start").put("index", i);
        switch (type) {
          case "thinking" -> {
            head.set("content_block", obj().put("type", "thinking").put("thinking", "").put("signature", ""));
            frames.add(sse("content_block_start", head));
            String text = b.path("thinking").asText();
            int half = text.length() / 2;
            for (String piece : List.of(text.substring(0, half), text.substring(half))) {
              frames.add(sse("content_block_delta", obj().put("type", "content_block_delta").put("index", i)
                  .set("delta", obj().put("type", "thinking_delta").put("thinking", piece))));
            }
            frames.add(sse("content_block_delta", obj().put("type", "content_block_delta").put("index", i)
                .set("delta", obj().put("type", "signature_delta").put("signature", b.path("signature").asText()))));
          }
          case "redacted_thinking" -> {
            head.set("content_block", b);
            frames.add(sse("content_block_start", head));
          }
          case "text" -> {
            head.set("content_block", obj().put("type", "text").put("text", ""));
            frames.add(sse("content_block_start", head));
            frames.add(sse("content_block_delta", obj().put("type", "content_block_delta").put("index", i)
                .set("delta", obj().put("type", "text_delta").put("text", b.path("text").asText()))));
          }
          default -> {
            head.set("content_block", obj().put("type", "tool_use").put("id", b.path("id").asText()).put("name", b.path("name").asText())
                .set("input", obj()));
            frames.add(sse("content_block_start", head));
            String args = b.path("input").toString();
            if (!b.path("input").isEmpty()) { // a call without arguments streams no input_json_delta at all
              frames.add(sse("content_block_delta", obj().put("type", "content_block_delta").put("index", i)
                  .set("delta", obj().put("type", "input_json_delta").put("partial_json", args.substring(0, 5)))));
              frames.add(sse("content_block_delta", obj().put("type", "content_block_delta").put("index", i)
                  .set("delta", obj().put("type", "input_json_delta").put("partial_json", args.substring(5)))));
            }
          }
        }
        frames.add(sse("content_block_stop", obj().put("type", "content_block_stop").put("index", i)));
      }
      ObjectNode delta = obj().put("type", "message_delta");
      delta.set("delta", obj().put("stop_reason", step.answers() ? "end_turn" : "tool_use").putNull("stop_sequence"));
      delta.set("usage", usage());
      frames.add(sse("message_delta", delta));
      frames.add(sse("message_stop", obj().put("type", "message_stop")));
      return frames;
    }

    private static int count(JsonNode body, String type) {
      int n = 0;
      for (JsonNode m : body.path("messages")) {
        for (JsonNode b : m.path("content")) {
          n += type.equals(b.path("type").asText()) ? 1 : 0;
        }
      }
      return n;
    }
  }

  // ------------------------------------------------------------------ Gemini

  /** {@code generateContent} and {@code streamGenerateContent?alt=sse} of a Gemini 3 model. */
  public static final class Gemini {
    public static final String PLACEHOLDER = "skip_thought_signature_validator";
    private final Signer signer = new Signer();
    /** Function calls that came with the placeholder. */
    public final AtomicInteger placeholders = new AtomicInteger();

    public FakeUpstream.Behaviour behaviour() {
      return (req, res, r) -> {
        JsonNode body = JSON.readTree(r.body());
        String refusal = check(body);
        if (refusal != null) {
          json(res, 400, obj().set("error", obj().put("code", 400).put("message", refusal).put("status", "INVALID_ARGUMENT")));
          return;
        }
        int results = 0;
        for (JsonNode c : body.path("contents")) {
          for (JsonNode p : c.path("parts")) {
            results += p.has("functionResponse") ? 1 : 0;
          }
        }
        Step step = new Step(results);
        boolean thoughts = body.path("generationConfig").path("thinkingConfig").path("includeThoughts").asBoolean(false);
        if (r.path().endsWith(":streamGenerateContent")) {
          List<String> frames = new ArrayList<>();
          if (thoughts) {
            ObjectNode first = response(step, true);
            ((ArrayNode) first.path("candidates").path(0).path("content").path("parts")).removeAll()
                .addObject().put("text", step.thought()).put("thought", true);
            first.remove("usageMetadata");
            ((ObjectNode) first.path("candidates").path(0)).remove("finishReason");
            frames.add(sse("", first));
          }
          ObjectNode rest = response(step, false);
          frames.add(sse("", rest));
          events(res, "text/event-stream", frames);
        } else {
          json(res, 200, response(step, thoughts));
        }
      };
    }

    private String check(JsonNode body) {
      String badName = geminiFunctionNames(body);
      if (badName != null) {
        return badName;
      }
      JsonNode contents = body.path("contents");
      int start = 0;
      for (int i = 0; i < contents.size(); i++) {
        if ("user".equals(contents.get(i).path("role").asText())) {
          for (JsonNode p : contents.get(i).path("parts")) {
            if (p.has("text")) {
              start = i + 1;
            }
          }
        }
      }
      for (int i = 0; i < contents.size(); i++) {
        int position = 0;
        boolean firstCall = true;
        for (JsonNode p : contents.get(i).path("parts")) {
          position++;
          String sig = p.path("thoughtSignature").asText("");
          if (!sig.isEmpty() && !sig.equals(PLACEHOLDER) && !signer.verifies(signed(p), sig)) {
            return "Unable to submit request because Thought signature is not valid.";
          }
          if (p.has("functionCall") && firstCall) {
            firstCall = false;
            if (sig.equals(PLACEHOLDER)) {
              placeholders.incrementAndGet();
            }
            if (i >= start && sig.isEmpty()) {
              return "Function call is missing a thought_signature in functionCall parts. This is required for tools to work"
                  + " correctly, and missing thought_signature may lead to degraded model performance. Additional data, function"
                  + " call `default_api:" + p.path("functionCall").path("name").asText() + "` , position " + position
                  + ". Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.";
            }
          }
        }
      }
      return null;
    }

    private static String signed(JsonNode part) {
      return part.has("functionCall") ? part.path("functionCall").path("name").asText() : part.path("text").asText();
    }

    private ObjectNode response(Step step, boolean withThought) {
      ObjectNode r = obj();
      ObjectNode candidate = r.putArray("candidates").addObject();
      ObjectNode content = candidate.putObject("content").put("role", "model");
      ArrayNode parts = content.putArray("parts");
      if (withThought) {
        parts.addObject().put("text", step.thought()).put("thought", true);
      }
      if (step.answers()) {
        parts.addObject().put("text", ANSWER).put("thoughtSignature", signer.sign(ANSWER));
      } else {
        ObjectNode part = parts.addObject();
        try {
          part.putObject("functionCall").put("name", step.tool()).set("args", JSON.readTree(step.arguments()));
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
        part.put("thoughtSignature", signer.sign(step.tool()));
      }
      candidate.put("finishReason", "STOP").put("index", 0);
      r.set("usageMetadata", obj().put("promptTokenCount", 20).put("candidatesTokenCount", 10).put("thoughtsTokenCount", 7)
          .put("cachedContentTokenCount", 4).put("totalTokenCount", 37));
      r.put("modelVersion", "gemini-3-fake").put("responseId", "resp-" + System.nanoTime());
      return r;
    }
  }

  // ------------------------------------------------------------------ Responses API

  /** Azure's {@code POST /openai/responses} with {@code store: false}. */
  public static final class Responses {
    private final Signer signer = new Signer();
    private final Map<String, String> reasoningOfCall = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** What the API keeps for {@code store: true}: each response's whole context, its input and output, by id. */
    private final Map<String, List<JsonNode>> stored = new java.util.concurrent.ConcurrentHashMap<>();
    /** Requests that continued a stored response with {@code previous_response_id}. */
    public final AtomicInteger continued = new AtomicInteger();
    /** Whether a function call must come back with its reasoning item (the real API checks this for items sent with ids). */
    private final boolean strict;
    /** The summary setting of the last request ("" when none was asked for). */
    public volatile String lastSummary = "";

    public Responses(boolean strict) {
      this.strict = strict;
    }

    /** Loses every stored response, as a restarted server or an expired retention would. */
    public void forget() {
      stored.clear();
    }

    public FakeUpstream.Behaviour behaviour() {
      return (req, res, r) -> {
        JsonNode body = JSON.readTree(r.body());
        lastSummary = body.path("reasoning").path("summary").asText("");
        List<JsonNode> context = new ArrayList<>();
        String previous = body.path("previous_response_id").asText("");
        if (!previous.isEmpty()) {
          List<JsonNode> prior = stored.get(previous);
          if (prior == null) {
            json(res, 400, obj().set("error", obj().put("message", "Previous response with id '" + previous + "' not found.")
                .put("type", "invalid_request_error").put("param", "previous_response_id").put("code", "previous_response_not_found")));
            return;
          }
          continued.incrementAndGet();
          context.addAll(prior);
        }
        int trusted = context.size();
        JsonNode input = body.path("input");
        if (input.isTextual()) {
          context.add(obj().put("type", "message").put("role", "user").put("content", input.asText()));
        } else {
          input.forEach(context::add);
        }
        String refusal = check(context, trusted);
        if (refusal != null) {
          json(res, 400, obj().set("error", obj().put("message", refusal).put("type", "invalid_request_error").put("param", "input")
              .putNull("code")));
          return;
        }
        int results = 0;
        for (JsonNode item : context) {
          results += "function_call_output".equals(item.path("type").asText()) ? 1 : 0;
        }
        boolean encrypted = false;
        for (JsonNode inc : body.path("include")) {
          encrypted |= "reasoning.encrypted_content".equals(inc.asText());
        }
        ObjectNode response = response(new Step(results), encrypted, !lastSummary.isEmpty());
        response.put("store", body.path("store").asBoolean(true));
        response.set("previous_response_id", previous.isEmpty() ? JSON.nullNode() : body.path("previous_response_id"));
        if (body.path("store").asBoolean(true)) {
          List<JsonNode> kept = new ArrayList<>(context);
          response.path("output").forEach(kept::add);
          stored.put(response.path("id").asText(), kept);
        }
        if (body.path("stream").asBoolean()) {
          events(res, "text/event-stream", stream(response));
        } else {
          json(res, 200, response);
        }
      };
    }

    /** Items before {@code trusted} come from the API's own store, so their reasoning needs no encrypted content. */
    private String check(List<JsonNode> context, int trusted) {
      String previousReasoning = null;
      for (int i = 0; i < context.size(); i++) {
        JsonNode item = context.get(i);
        switch (item.path("type").asText()) {
          case "reasoning" -> {
            String id = item.path("id").asText();
            if (i >= trusted && !signer.verifies(id, item.path("encrypted_content").asText())) {
              return "The encrypted content for item " + id + " could not be verified.";
            }
            previousReasoning = id;
          }
          case "function_call" -> {
            String needed = reasoningOfCall.get(item.path("call_id").asText());
            if (strict && needed != null && !needed.equals(previousReasoning)) {
              return "Item 'fc_" + item.path("call_id").asText() + "' of type 'function_call' was provided without its required"
                  + " 'reasoning' item: '" + needed + "'.";
            }
          }
          default -> previousReasoning = null;
        }
      }
      return null;
    }

    private ObjectNode response(Step step, boolean encrypted, boolean summary) {
      int n = ids.incrementAndGet();
      ObjectNode r = obj().put("id", "resp_" + java.util.UUID.randomUUID().toString().replace("-", "")).put("object", "response").put("created_at", 1700000000).put("status", "completed")
          .put("model", "gpt-5-fake");
      ArrayNode output = r.putArray("output");
      String rs = "rs_" + n;
      ObjectNode reasoning = output.addObject().put("type", "reasoning").put("id", rs);
      ArrayNode summaries = reasoning.putArray("summary");
      if (summary) {
        summaries.addObject().put("type", "summary_text").put("text", step.thought());
      }
      if (encrypted) {
        reasoning.put("encrypted_content", signer.sign(rs));
      }
      if (step.answers()) {
        ObjectNode msg = output.addObject().put("type", "message").put("id", "msg_" + n).put("role", "assistant").put("status", "completed");
        msg.putArray("content").addObject().put("type", "output_text").put("text", ANSWER).putArray("annotations");
      } else {
        String callId = "call_" + n;
        reasoningOfCall.put(callId, rs);
        output.addObject().put("type", "function_call").put("id", "fc_" + n).put("call_id", callId).put("name", step.tool())
            .put("arguments", step.arguments()).put("status", "completed");
      }
      ObjectNode usage = r.putObject("usage").put("input_tokens", 20).put("output_tokens", 30).put("total_tokens", 50);
      usage.putObject("input_tokens_details").put("cached_tokens", 6);
      usage.putObject("output_tokens_details").put("reasoning_tokens", 14);
      return r;
    }

    /** The whole stream this fake sends for the turn after {@code toolResults} results, with encrypted reasoning and a summary. */
    public String streamBody(int toolResults) {
      return String.join("", stream(response(new Step(toolResults), true, true)));
    }

    private static List<String> stream(ObjectNode done) {
      List<String> frames = new ArrayList<>();
      AtomicInteger seq = new AtomicInteger();
      ObjectNode created = done.deepCopy().put("status", "in_progress");
      created.putArray("output");
      created.remove("usage");
      frames.add(sse("response.created", obj().put("type", "response.created").put("sequence_number", seq.getAndIncrement())
          .set("response", created)));
      frames.add(sse("response.in_progress", obj().put("type", "response.in_progress").put("sequence_number", seq.getAndIncrement())
          .set("response", created)));
      JsonNode output = done.path("output");
      for (int i = 0; i < output.size(); i++) {
        JsonNode item = output.get(i);
        ObjectNode added = item.deepCopy();
        switch (item.path("type").asText()) {
          case "reasoning" -> {
            added.putArray("summary");
            added.remove("encrypted_content");
            frames.add(sse("response.output_item.added", obj().put("type", "response.output_item.added").put("output_index", i)
                .put("sequence_number", seq.getAndIncrement()).set("item", added)));
            for (JsonNode s : item.path("summary")) {
              frames.add(sse("response.reasoning_summary_part.added", obj().put("type", "response.reasoning_summary_part.added")
                  .put("item_id", item.path("id").asText()).put("output_index", i).put("summary_index", 0)
                  .put("sequence_number", seq.getAndIncrement()).set("part", obj().put("type", "summary_text").put("text", ""))));
              String text = s.path("text").asText();
              for (String piece : List.of(text.substring(0, text.length() / 2), text.substring(text.length() / 2))) {
                frames.add(sse("response.reasoning_summary_text.delta", obj().put("type", "response.reasoning_summary_text.delta")
                    .put("item_id", item.path("id").asText()).put("output_index", i).put("summary_index", 0).put("delta", piece)
                    .put("sequence_number", seq.getAndIncrement())));
              }
              frames.add(sse("response.reasoning_summary_text.done", obj().put("type", "response.reasoning_summary_text.done")
                  .put("item_id", item.path("id").asText()).put("output_index", i).put("summary_index", 0).put("text", text)
                  .put("sequence_number", seq.getAndIncrement())));
              frames.add(sse("response.reasoning_summary_part.done", obj().put("type", "response.reasoning_summary_part.done")
                  .put("item_id", item.path("id").asText()).put("output_index", i).put("summary_index", 0)
                  .put("sequence_number", seq.getAndIncrement()).set("part", s)));
            }
          }
          case "function_call" -> {
            added.put("arguments", "");
            frames.add(sse("response.output_item.added", obj().put("type", "response.output_item.added").put("output_index", i)
                .put("sequence_number", seq.getAndIncrement()).set("item", added)));
            String args = item.path("arguments").asText();
            if (!args.equals("{}")) {
              frames.add(sse("response.function_call_arguments.delta", obj().put("type", "response.function_call_arguments.delta")
                  .put("item_id", item.path("id").asText()).put("output_index", i).put("delta", args)
                  .put("sequence_number", seq.getAndIncrement())));
            }
          }
          default -> {
            ((ObjectNode) added).putArray("content");
            frames.add(sse("response.output_item.added", obj().put("type", "response.output_item.added").put("output_index", i)
                .put("sequence_number", seq.getAndIncrement()).set("item", added)));
            // As OpenAI streams it: the part is announced before its deltas, and closed before the item.
            ObjectNode part = obj().put("type", "output_text").put("text", "");
            part.putArray("annotations");
            frames.add(sse("response.content_part.added", obj().put("type", "response.content_part.added").put("item_id",
                item.path("id").asText()).put("output_index", i).put("content_index", 0).put("sequence_number", seq.getAndIncrement())
                .set("part", part)));
            frames.add(sse("response.output_text.delta", obj().put("type", "response.output_text.delta").put("item_id",
                item.path("id").asText()).put("output_index", i).put("content_index", 0).put("delta", ANSWER)
                .put("sequence_number", seq.getAndIncrement())));
            frames.add(sse("response.output_text.done", obj().put("type", "response.output_text.done").put("item_id",
                item.path("id").asText()).put("output_index", i).put("content_index", 0).put("text", ANSWER)
                .put("sequence_number", seq.getAndIncrement())));
            frames.add(sse("response.content_part.done", obj().put("type", "response.content_part.done").put("item_id",
                item.path("id").asText()).put("output_index", i).put("content_index", 0).put("sequence_number", seq.getAndIncrement())
                .set("part", item.path("content").path(0))));
          }
        }
        frames.add(sse("response.output_item.done", obj().put("type", "response.output_item.done").put("output_index", i)
            .put("sequence_number", seq.getAndIncrement()).set("item", item)));
      }
      frames.add(sse("response.completed", obj().put("type", "response.completed").put("sequence_number", seq.getAndIncrement())
          .set("response", done)));
      return frames;
    }
  }

  // ------------------------------------------------------------------ Ollama

  /**
   * {@code POST /api/chat} of a thinking model. Stricter than Ollama: an assistant tool call turn
   * it answered must come back with the thinking it had, or it answers 400.
   */
  public static final class Ollama {
    private final Map<String, String> thinkingOfCall = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    public FakeUpstream.Behaviour behaviour() {
      return (req, res, r) -> {
        JsonNode body = JSON.readTree(r.body());
        int results = 0;
        for (JsonNode m : body.path("messages")) {
          results += "tool".equals(m.path("role").asText()) ? 1 : 0;
          for (JsonNode call : m.path("tool_calls")) {
            String key = call.path("function").path("name").asText();
            String had = thinkingOfCall.get(key);
            if (had != null && !had.equals(m.path("thinking").asText(""))) {
              json(res, 400, obj().put("error", "assistant message calling " + key + " came back without its thinking"));
              return;
            }
          }
        }
        Step step = new Step(results);
        boolean think = body.path("think").asBoolean(false);
        ObjectNode message = obj().put("role", "assistant").put("content", step.answers() ? ANSWER : "");
        if (think) {
          message.put("thinking", step.thought());
        }
        if (!step.answers()) {
          try {
            message.putArray("tool_calls").addObject().putObject("function").put("name", step.tool())
                .set("arguments", JSON.readTree(step.arguments()));
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
          if (think) {
            thinkingOfCall.put(step.tool(), step.thought());
          }
        }
        if (body.path("stream").asBoolean(true)) {
          List<String> lines = new ArrayList<>();
          if (think) {
            lines.add(obj().put("model", "qwen3-fake").put("done", false)
                .set("message", obj().put("role", "assistant").put("content", "").put("thinking", step.thought())) + "\n");
          }
          ObjectNode rest = message.deepCopy();
          rest.remove("thinking");
          lines.add(obj().put("model", "qwen3-fake").put("done", false).set("message", rest) + "\n");
          lines.add(obj().put("model", "qwen3-fake").put("done", true).put("done_reason", "stop").put("prompt_eval_count", 20)
              .put("eval_count", 30).set("message", obj().put("role", "assistant").put("content", "")) + "\n");
          events(res, "application/x-ndjson", lines);
        } else {
          json(res, 200, obj().put("model", "qwen3-fake").put("done", true).put("done_reason", "stop").put("prompt_eval_count", 20)
              .put("eval_count", 30).set("message", message));
        }
        ids.incrementAndGet();
      };
    }
  }

  // ------------------------------------------------------------------ OpenAI-compatible

  /**
   * {@code POST /chat/completions} of a reasoning server that, like DeepSeek's thinking mode,
   * needs {@code reasoning_content} back on the tool-calling assistant messages of the current
   * turn, and, like OpenAI, refuses message fields it does not know.
   */
  public static final class OpenAiCompatible {
    private static final Set<String> KNOWN = Set.of("role", "content", "name", "tool_calls", "tool_call_id", "reasoning_content",
        "refusal", "annotations", "audio", "function_call", "parsed");
    private final boolean needsReasoning;
    private final AtomicInteger ids = new AtomicInteger();

    public OpenAiCompatible(boolean needsReasoning) {
      this.needsReasoning = needsReasoning;
    }

    public FakeUpstream.Behaviour behaviour() {
      return (req, res, r) -> {
        JsonNode body = JSON.readTree(r.body());
        JsonNode messages = body.path("messages");
        int results = 0;
        for (int i = 0; i < messages.size(); i++) {
          JsonNode m = messages.get(i);
          var names = m.fieldNames();
          while (names.hasNext()) {
            String name = names.next();
            if (!KNOWN.contains(name)) {
              json(res, 400, obj().set("error", obj().put("message", "Invalid value for 'messages[" + i + "]': Additional properties"
                  + " are not allowed ('" + name + "' was unexpected).").put("type", "invalid_request_error")
                  .put("param", "messages[" + i + "]").putNull("code")));
              return;
            }
          }
          results += "tool".equals(m.path("role").asText()) ? 1 : 0;
          if (needsReasoning && "assistant".equals(m.path("role").asText()) && m.has("tool_calls")
              && m.path("reasoning_content").asText("").isEmpty()) {
            json(res, 400, obj().set("error", obj().put("message", "Missing `reasoning_content` field in the assistant message at"
                + " message index " + i + ".").put("type", "invalid_request_error").putNull("param").put("code", "invalid_request_error")));
            return;
          }
        }
        Step step = new Step(results);
        int n = ids.incrementAndGet();
        ObjectNode message = obj().put("role", "assistant").put("reasoning_content", step.thought());
        if (step.answers()) {
          message.put("content", ANSWER);
        } else {
          message.putNull("content");
          ObjectNode call = message.putArray("tool_calls").addObject().put("id", "call_oa" + n).put("type", "function");
          call.putObject("function").put("name", step.tool()).put("arguments", step.arguments());
        }
        String finish = step.answers() ? "stop" : "tool_calls";
        ObjectNode usage = obj().put("prompt_tokens", 20).put("completion_tokens", 30).put("total_tokens", 50);
        usage.putObject("prompt_tokens_details").put("cached_tokens", 3);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 11);
        if (body.path("stream").asBoolean()) {
          List<String> frames = new ArrayList<>();
          String id = "chatcmpl-oa" + n;
          frames.add(chunk(id, obj().put("role", "assistant").put("reasoning_content", step.thought()), null, null));
          if (step.answers()) {
            frames.add(chunk(id, obj().put("content", ANSWER), null, null));
          } else {
            ObjectNode delta = obj();
            ObjectNode call = delta.putArray("tool_calls").addObject().put("index", 0).put("id", "call_oa" + n).put("type", "function");
            call.putObject("function").put("name", step.tool()).put("arguments", step.arguments());
            frames.add(chunk(id, delta, null, null));
          }
          frames.add(chunk(id, obj(), finish, null));
          if (body.path("stream_options").path("include_usage").asBoolean()) {
            frames.add(chunk(id, null, null, usage));
          }
          frames.add("data: [DONE]\n\n");
          events(res, "text/event-stream", frames);
        } else {
          ObjectNode root = obj().put("id", "chatcmpl-oa" + n).put("object", "chat.completion").put("created", 1700000000)
              .put("model", "deepseek-fake");
          ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
          choice.set("message", message);
          choice.put("finish_reason", finish);
          root.set("usage", usage);
          json(res, 200, root);
        }
      };
    }

    private static String chunk(String id, ObjectNode delta, String finish, ObjectNode usage) {
      ObjectNode root = obj().put("id", id).put("object", "chat.completion.chunk").put("created", 1700000000).put("model", "deepseek-fake");
      ArrayNode choices = root.putArray("choices");
      if (delta != null) {
        ObjectNode c = choices.addObject().put("index", 0);
        c.set("delta", delta);
        if (finish == null) {
          c.putNull("finish_reason");
        } else {
          c.put("finish_reason", finish);
        }
      }
      if (usage != null) {
        root.set("usage", usage);
      }
      return "data: " + root + "\n\n";
    }
  }
}
