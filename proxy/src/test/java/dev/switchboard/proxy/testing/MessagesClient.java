package dev.switchboard.proxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An Anthropic Messages client for tests: sends to {@code /v1/messages} with Anthropic's headers,
 * reads named server-sent events, and assembles a streamed answer as the Anthropic SDK's
 * {@code messages.stream()} does (blocks by index, JSON input parsed at the block's end,
 * signatures set by {@code signature_delta}). It also runs the weather agent's tool loop.
 */
public final class MessagesClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public static final String TOOLS = """
      [{"name":"get_weather","description":"Weather in a city","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
       {"name":"get_time","description":"The time now","input_schema":{"type":"object","properties":{}}}]""";

  private MessagesClient() {}

  /** One named event as received. */
  public record Event(String name, JsonNode data) {}

  /** What one request got: status, headers, the whole body (not streamed), the events (streamed) and the message. */
  public record Answer(int status, Map<String, List<String>> headers, String body, List<Event> events, JsonNode message) {
    public String header(String name) {
      return headers.getOrDefault(name.toLowerCase(), List.of("")).get(0);
    }

    public List<String> eventNames() {
      return events.stream().map(Event::name).toList();
    }
  }

  public static Answer send(TestProxy proxy, String body, String... headers) {
    return send(proxy.url() + "/v1/messages", body, headers);
  }

  public static Answer send(String url, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      Map<String, List<String>> h = new HashMap<>();
      r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(), v));
      boolean sse = r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream");
      if (!sse) {
        String text = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
        JsonNode json = text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
        return new Answer(r.statusCode(), h, text, List.of(), json);
      }
      List<Event> events = read(r.body());
      return new Answer(r.statusCode(), h, "", events, assemble(events));
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static List<Event> read(InputStream in) throws IOException {
    List<Event> events = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      String name = "";
      StringBuilder data = new StringBuilder();
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("event:")) {
          name = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        } else if (line.isEmpty() && !data.isEmpty()) {
          events.add(new Event(name, JSON.readTree(data.toString())));
          name = "";
          data.setLength(0);
        }
      }
    }
    return events;
  }

  /** The message as the SDK's stream helper builds it; an error event leaves it with {@code type: error}. */
  static JsonNode assemble(List<Event> events) throws IOException {
    ObjectNode message = JSON.createObjectNode();
    ArrayNode content = JSON.createArrayNode();
    Map<Integer, StringBuilder> json = new HashMap<>();
    for (Event e : events) {
      JsonNode d = e.data();
      switch (e.name()) {
        case "message_start" -> {
          message = (ObjectNode) d.path("message").deepCopy();
          content = message.putArray("content");
        }
        case "content_block_start" -> {
          while (content.size() <= d.path("index").asInt()) {
            content.addNull();
          }
          content.set(d.path("index").asInt(), d.path("content_block").deepCopy());
        }
        case "content_block_delta" -> {
          int i = d.path("index").asInt();
          ObjectNode block = (ObjectNode) content.get(i);
          JsonNode delta = d.path("delta");
          switch (delta.path("type").asText()) {
            case "text_delta" -> block.put("text", block.path("text").asText() + delta.path("text").asText());
            case "thinking_delta" -> block.put("thinking", block.path("thinking").asText() + delta.path("thinking").asText());
            case "signature_delta" -> block.put("signature", delta.path("signature").asText());
            case "input_json_delta" -> json.computeIfAbsent(i, k -> new StringBuilder()).append(delta.path("partial_json").asText());
            default -> throw new AssertionError("unknown delta " + delta);
          }
        }
        case "content_block_stop" -> {
          int i = d.path("index").asInt();
          if (json.containsKey(i)) {
            ((ObjectNode) content.get(i)).set("input", JSON.readTree(json.get(i).toString()));
          }
        }
        case "message_delta" -> {
          message.set("stop_reason", d.path("delta").path("stop_reason"));
          message.set("stop_sequence", d.path("delta").path("stop_sequence"));
          ObjectNode usage = message.with("usage");
          d.path("usage").fields().forEachRemaining(f -> usage.set(f.getKey(), f.getValue()));
        }
        case "error" -> {
          return d;
        }
        default -> {
          // ping, message_stop
        }
      }
    }
    return message;
  }

  /** The weather agent's loop: runs until the model answers without tool calls, at most {@code maxTurns} requests. */
  public static List<Answer> loop(TestProxy proxy, String model, boolean stream, String extra, int maxTurns) throws IOException {
    ArrayNode messages = JSON.createArrayNode();
    messages.addObject().put("role", "user").put("content", "What is the weather in Paris, and the time?");
    List<Answer> answers = new ArrayList<>();
    for (int t = 0; t < maxTurns; t++) {
      ObjectNode body = (ObjectNode) JSON.readTree("{" + extra + "}");
      body.put("model", model).put("max_tokens", 8192).put("stream", stream);
      body.set("messages", messages);
      body.set("tools", JSON.readTree(TOOLS));
      Answer a = send(proxy, body.toString());
      answers.add(a);
      if (a.status() != 200 || !"message".equals(a.message().path("type").asText())) {
        return answers;
      }
      messages.addObject().put("role", "assistant").set("content", a.message().path("content"));
      ArrayNode results = JSON.createArrayNode();
      for (JsonNode block : a.message().path("content")) {
        if ("tool_use".equals(block.path("type").asText())) {
          String name = block.path("name").asText();
          results.addObject().put("type", "tool_result").put("tool_use_id", block.path("id").asText())
              .put("content", name.equals("get_weather") ? "{\"sky\":\"sunny\"}" : "{\"time\":\"12:00\"}");
        }
      }
      if (results.isEmpty()) {
        return answers;
      }
      messages.addObject().put("role", "user").set("content", results);
    }
    return answers;
  }

  /** The text blocks of a message, joined. */
  public static String text(JsonNode message) {
    StringBuilder out = new StringBuilder();
    for (JsonNode b : message.path("content")) {
      if ("text".equals(b.path("type").asText())) {
        out.append(b.path("text").asText());
      }
    }
    return out.toString();
  }
}
