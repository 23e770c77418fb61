package dev.switchboard.proxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A chat client running a tool loop against the proxy: it sends the conversation, keeps the
 * assistant message, appends a result for each tool call, and goes on until the model answers.
 * It keeps the message as the OpenAI SDK returns it (streamed answers assembled as the SDK's
 * stream helper does: extra delta fields assigned, not appended), or strips it to the fields a
 * minimal client knows.
 */
public final class AgentLoop {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the client keeps of an assistant message. */
  public enum Keeps { EVERYTHING, ONLY_KNOWN_FIELDS }

  /** One turn: the request's answer status, the assistant message kept, the usage and the response headers. */
  public record Turn(int status, JsonNode message, JsonNode usage, Map<String, List<String>> headers, String raw) {
    public String header(String name) {
      return headers.getOrDefault(name, List.of("")).get(0);
    }
  }

  private AgentLoop() {}

  public static final String TOOLS = """
      [{"type":"function","function":{"name":"get_weather","description":"Weather in a city",
        "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
       {"type":"function","function":{"name":"get_time","description":"The time now","parameters":{"type":"object","properties":{}}}}]""";

  /** Runs the loop for at most {@code maxTurns} requests; stops at the first refusal. */
  public static List<Turn> run(TestProxy proxy, String model, boolean stream, Keeps keeps, int maxTurns) {
    ArrayNode messages = JSON.createArrayNode();
    messages.addObject().put("role", "user").put("content", "What is the weather in Paris, and the time?");
    List<Turn> turns = new ArrayList<>();
    for (int t = 0; t < maxTurns; t++) {
      ObjectNode body = JSON.createObjectNode().put("model", model);
      body.set("messages", messages);
      try {
        body.set("tools", JSON.readTree(TOOLS));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      Turn turn;
      if (stream) {
        body.put("stream", true).putObject("stream_options").put("include_usage", true);
        TestProxy.Streamed s = proxy.stream(body.toString());
        turn = assemble(s);
      } else {
        TestProxy.Reply r = proxy.chat(body.toString());
        JsonNode json = r.status() == 200 ? r.json() : null;
        turn = new Turn(r.status(), json == null ? null : json.path("choices").path(0).path("message"),
            json == null ? null : json.path("usage"), r.headers(), r.body());
      }
      turns.add(turn);
      if (turn.status() != 200 || turn.message() == null) {
        return turns;
      }
      JsonNode kept = keeps == Keeps.EVERYTHING ? turn.message() : known(turn.message());
      messages.add(kept);
      JsonNode calls = turn.message().path("tool_calls");
      if (calls.isEmpty()) {
        return turns;
      }
      for (JsonNode call : calls) {
        String name = call.path("function").path("name").asText();
        messages.addObject().put("role", "tool").put("tool_call_id", call.path("id").asText())
            .put("content", name.equals("get_weather") ? "{\"sky\":\"sunny\"}" : "{\"time\":\"12:00\"}");
      }
    }
    return turns;
  }

  /** The message as a client that knows only OpenAI's documented fields keeps it. */
  public static JsonNode known(JsonNode message) {
    ObjectNode m = JSON.createObjectNode().put("role", "assistant");
    m.set("content", message.path("content").isMissingNode() ? JSON.nullNode() : message.get("content"));
    if (message.has("tool_calls")) {
      ArrayNode calls = m.putArray("tool_calls");
      for (JsonNode c : message.get("tool_calls")) {
        ObjectNode call = calls.addObject().put("id", c.path("id").asText()).put("type", "function");
        call.putObject("function").put("name", c.path("function").path("name").asText())
            .put("arguments", c.path("function").path("arguments").asText());
      }
    }
    return m;
  }

  /** As openai-node's ChatCompletionStream accumulates: known fields concatenated, others assigned. */
  private static Turn assemble(TestProxy.Streamed s) {
    if (s.status() != 200) {
      return new Turn(s.status(), null, null, s.headers(), String.join("\n", s.data()));
    }
    ObjectNode message = JSON.createObjectNode().put("role", "assistant");
    StringBuilder content = new StringBuilder();
    boolean anyContent = false;
    ArrayNode calls = JSON.createArrayNode();
    JsonNode usage = null;
    for (String d : s.data()) {
      if (d.equals("[DONE]")) {
        continue;
      }
      JsonNode chunk;
      try {
        chunk = JSON.readTree(d);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + d, e);
      }
      if (chunk.has("error")) {
        return new Turn(502, null, null, s.headers(), d);
      }
      if (chunk.hasNonNull("usage")) {
        usage = chunk.get("usage");
      }
      for (JsonNode choice : chunk.path("choices")) {
        Iterator<Map.Entry<String, JsonNode>> fields = choice.path("delta").fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> f = fields.next();
          switch (f.getKey()) {
            case "role" -> { }
            case "content" -> {
              if (!f.getValue().isNull()) {
                anyContent = true;
                content.append(f.getValue().asText());
              }
            }
            case "tool_calls" -> {
              for (JsonNode call : f.getValue()) {
                int index = call.path("index").asInt();
                while (calls.size() <= index) {
                  ObjectNode fresh = calls.addObject();
                  fresh.putObject("function").put("name", "").put("arguments", "");
                }
                ObjectNode target = (ObjectNode) calls.get(index);
                call.fields().forEachRemaining(e -> {
                  switch (e.getKey()) {
                    case "index" -> { }
                    case "function" -> {
                      ObjectNode fn = (ObjectNode) target.get("function");
                      if (e.getValue().hasNonNull("name")) {
                        fn.put("name", fn.path("name").asText() + e.getValue().get("name").asText());
                      }
                      if (e.getValue().hasNonNull("arguments")) {
                        fn.put("arguments", fn.path("arguments").asText() + e.getValue().get("arguments").asText());
                      }
                    }
                    default -> target.set(e.getKey(), e.getValue());
                  }
                });
              }
            }
            default -> message.set(f.getKey(), f.getValue());
          }
        }
      }
    }
    message.put("content", anyContent ? content.toString() : null);
    if (!calls.isEmpty()) {
      message.set("tool_calls", calls);
    }
    return new Turn(200, message, usage, s.headers(), String.join("\n", s.data()));
  }
}
