package dev.switchboard.proxy.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes a canonical stream (OpenAI {@code chat.completion.chunk}s) as the Responses API's
 * events, chunk by chunk, each with the next {@code sequence_number}: {@code response.created} and
 * {@code response.in_progress}, then one output item at a time (reasoning summary, message text,
 * function call) with its deltas and its {@code .done} events, and {@code response.completed} (or
 * {@code response.incomplete}) with the whole Response. The continuity token, which canonical
 * streams send last, closes the output as a reasoning item of its own when the client asked for
 * {@code reasoning.encrypted_content}.
 */
public final class ResponsesStreamEncoder {
  private final String model;
  private final String id;
  private final long createdAt;
  private final ResponsesRequest.Options options;
  private final ObjectNode response;
  private final ArrayNode output;
  private int sequence;
  private boolean started;
  private String open = "";
  private ObjectNode item;
  private final StringBuilder buffer = new StringBuilder();
  private final StringBuilder text = new StringBuilder();
  private final Map<Integer, ObjectNode> calls = new HashMap<>();
  private String finish = "";
  private String token = "";
  private JsonNode usage = ResponsesRequestDecoder.JSON.createObjectNode();

  public ResponsesStreamEncoder(String id, String model, long createdAt, ResponsesRequest.Options options) {
    this.id = id;
    this.model = model;
    this.createdAt = createdAt;
    this.options = options;
    this.response = ResponsesAnswers.shell(id, model, createdAt, options, "in_progress");
    this.output = (ArrayNode) response.get("output");
  }

  /** The continuity token the answer carried, "" when none: stored with the conversation either way. */
  public String token() {
    return token;
  }

  /** The whole Response once {@link #end} ran. */
  public ObjectNode response() {
    return response;
  }

  public void chunk(String json, List<String> out) throws IOException {
    JsonNode chunk = ResponsesRequestDecoder.JSON.readTree(json);
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
      open("reasoning", out);
      buffer.append(reasoning);
      out.add(event("response.reasoning_summary_text.delta", base().put("item_id", item.path("id").asText())
          .put("output_index", index()).put("summary_index", 0).put("delta", reasoning)));
    }
    if (delta.has("reasoning_details")) {
      String t = ResponsesAnswers.token(delta.get("reasoning_details"));
      if (!t.isEmpty()) {
        token = t;
      }
    }
    String content = delta.path("content").asText("");
    if (!content.isEmpty()) {
      open("message", out);
      buffer.append(content);
      text.append(content);
      ObjectNode e = base().put("item_id", item.path("id").asText()).put("output_index", index()).put("content_index", 0)
          .put("delta", content);
      e.putArray("logprobs");
      out.add(event("response.output_text.delta", e));
    }
    for (JsonNode call : delta.path("tool_calls")) {
      int at = call.path("index").asInt(0);
      if (call.hasNonNull("id") && !calls.containsKey(at)) {
        close(out);
        open = "function_call";
        buffer.setLength(0);
        item = ResponsesAnswers.functionCall(ResponsesAnswers.newId("fc_"), call.get("id").asText(),
            call.path("function").path("name").asText(), "", options.echo().path("tools"), "in_progress");
        calls.put(at, item);
        output.add(item);
        out.add(event("response.output_item.added", base().put("output_index", index()).set("item", item.deepCopy())));
      }
      String arguments = call.path("function").path("arguments").asText("");
      if (!arguments.isEmpty() && calls.get(at) == item && open.equals("function_call")) {
        buffer.append(arguments);
        out.add(event("response.function_call_arguments.delta", base().put("item_id", item.path("id").asText())
            .put("output_index", index()).put("delta", arguments)));
      }
    }
    if (choice.hasNonNull("finish_reason")) {
      finish = choice.get("finish_reason").asText();
    }
  }

  public void end(List<String> out) {
    start(out);
    close(out);
    if (!token.isEmpty() && options.includeEncrypted()) {
      ObjectNode carrier = ResponsesAnswers.reasoningItem(ResponsesAnswers.newId("rs_"), "", token);
      output.add(carrier);
      out.add(event("response.output_item.added", base().put("output_index", index()).set("item", carrier)));
      out.add(event("response.output_item.done", base().put("output_index", index()).set("item", carrier)));
    }
    ResponsesAnswers.finish(response, finish, usage, text.toString());
    String type = "completed".equals(response.path("status").asText()) ? "response.completed" : "response.incomplete";
    out.add(event(type, base().set("response", response)));
  }

  /** The last event of a broken stream: the Response as far as it got, failed, with the error. */
  public String failed(String code, String message) {
    response.put("status", "failed");
    response.putObject("error").put("code", code).put("message", message);
    return event("response.failed", base().set("response", response));
  }

  private void start(List<String> out) {
    if (started) {
      return;
    }
    started = true;
    out.add(event("response.created", base().set("response", response.deepCopy())));
    out.add(event("response.in_progress", base().set("response", response.deepCopy())));
  }

  private void open(String type, List<String> out) {
    if (open.equals(type)) {
      return;
    }
    close(out);
    open = type;
    buffer.setLength(0);
    if (type.equals("reasoning")) {
      item = ResponsesAnswers.reasoningItem(ResponsesAnswers.newId("rs_"), "", "");
      output.add(item);
      out.add(event("response.output_item.added", base().put("output_index", index()).set("item", item.deepCopy())));
      ObjectNode part = base().put("item_id", item.path("id").asText()).put("output_index", index()).put("summary_index", 0);
      part.putObject("part").put("type", "summary_text").put("text", "");
      out.add(event("response.reasoning_summary_part.added", part));
    } else {
      item = ResponsesAnswers.messageItem(ResponsesAnswers.newId("msg_"), null, "in_progress");
      output.add(item);
      out.add(event("response.output_item.added", base().put("output_index", index()).set("item", item.deepCopy())));
      out.add(event("response.content_part.added", base().put("item_id", item.path("id").asText()).put("output_index", index())
          .put("content_index", 0).set("part", ResponsesAnswers.outputText(""))));
    }
  }

  private void close(List<String> out) {
    if (open.isEmpty()) {
      return;
    }
    String itemId = item.path("id").asText();
    String all = buffer.toString();
    switch (open) {
      case "reasoning" -> {
        ((ArrayNode) item.get("summary")).addObject().put("type", "summary_text").put("text", all);
        out.add(event("response.reasoning_summary_text.done", base().put("item_id", itemId).put("output_index", index())
            .put("summary_index", 0).put("text", all)));
        ObjectNode part = base().put("item_id", itemId).put("output_index", index()).put("summary_index", 0);
        part.putObject("part").put("type", "summary_text").put("text", all);
        out.add(event("response.reasoning_summary_part.done", part));
      }
      case "message" -> {
        ((ArrayNode) item.get("content")).add(ResponsesAnswers.outputText(all));
        item.put("status", "completed");
        ObjectNode done = base().put("item_id", itemId).put("output_index", index()).put("content_index", 0).put("text", all);
        done.putArray("logprobs");
        out.add(event("response.output_text.done", done));
        out.add(event("response.content_part.done", base().put("item_id", itemId).put("output_index", index())
            .put("content_index", 0).set("part", ResponsesAnswers.outputText(all))));
      }
      default -> {
        item.put("arguments", all.isEmpty() ? "{}" : all).put("status", "completed");
        out.add(event("response.function_call_arguments.done", base().put("item_id", itemId).put("output_index", index())
            .put("name", item.path("name").asText()).put("arguments", item.path("arguments").asText())));
      }
    }
    out.add(event("response.output_item.done", base().put("output_index", index()).set("item", item.deepCopy())));
    open = "";
  }

  private int index() {
    return output.size() - 1;
  }

  private ObjectNode base() {
    return ResponsesRequestDecoder.JSON.createObjectNode();
  }

  private String event(String type, ObjectNode data) {
    ObjectNode e = ResponsesRequestDecoder.JSON.createObjectNode().put("type", type).put("sequence_number", sequence++);
    e.setAll(data);
    return "event: " + type + "\ndata: " + e + "\n\n";
  }
}
