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
 * A Responses API client for tests: sends to {@code /v1/responses}, reads the named events of a
 * stream (the Response is the one {@code response.completed} carries, as the SDK's
 * {@code finalResponse()} gives it), and runs the weather agent's tool loop two ways: continuing
 * with {@code previous_response_id}, or resending the whole input with {@code store: false}.
 */
public final class ResponsesClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public static final String TOOLS = """
      [{"type":"function","name":"get_weather","description":"Weather in a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
       {"type":"function","name":"get_time","description":"The time now","parameters":{"type":"object","properties":{}}}]""";

  private ResponsesClient() {}

  public record Event(String name, JsonNode data) {}

  public record Answer(int status, Map<String, List<String>> headers, String body, List<Event> events, JsonNode response) {
    public String header(String name) {
      return headers.getOrDefault(name.toLowerCase(), List.of("")).get(0);
    }

    public List<String> eventNames() {
      return events.stream().map(Event::name).toList();
    }
  }

  public static Answer send(TestProxy proxy, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(proxy.url() + "/v1/responses")).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      Map<String, List<String>> h = new HashMap<>();
      r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(), v));
      if (!r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream")) {
        String text = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
        return new Answer(r.statusCode(), h, text, List.of(), text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text));
      }
      List<Event> events = new ArrayList<>();
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
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
      JsonNode last = events.isEmpty() ? JSON.createObjectNode() : events.get(events.size() - 1).data();
      return new Answer(r.statusCode(), h, "", events, last.path("response"));
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The text of a Response's message items, as the SDK's {@code output_text} joins it. */
  public static String outputText(JsonNode response) {
    StringBuilder out = new StringBuilder();
    for (JsonNode item : response.path("output")) {
      if ("message".equals(item.path("type").asText())) {
        item.path("content").forEach(p -> out.append(p.path("text").asText("")));
      }
    }
    return out.toString();
  }

  /**
   * The weather agent's loop. With {@code chained} each turn sends only the tool outputs and the
   * previous response's id; otherwise it sends everything so far with {@code store: false}, the
   * output items as they came (encrypted reasoning included).
   */
  public static List<Answer> loop(TestProxy proxy, String model, boolean stream, boolean chained, int maxTurns) throws IOException {
    ArrayNode input = JSON.createArrayNode();
    input.addObject().put("role", "user").put("content", "What is the weather in Paris, and the time?");
    List<Answer> answers = new ArrayList<>();
    String previous = null;
    for (int t = 0; t < maxTurns; t++) {
      ObjectNode body = JSON.createObjectNode().put("model", model).put("stream", stream);
      body.putObject("reasoning").put("effort", "medium").put("summary", "auto");
      body.set("tools", JSON.readTree(TOOLS));
      if (chained) {
        if (previous != null) {
          body.put("previous_response_id", previous);
        }
      } else {
        body.put("store", false);
        body.putArray("include").add("reasoning.encrypted_content");
      }
      body.set("input", input);
      Answer a = send(proxy, body.toString());
      answers.add(a);
      if (a.status() != 200 || !"response".equals(a.response().path("object").asText())) {
        return answers;
      }
      previous = a.response().path("id").asText();
      ArrayNode outputs = JSON.createArrayNode();
      for (JsonNode item : a.response().path("output")) {
        if ("function_call".equals(item.path("type").asText())) {
          String name = item.path("name").asText();
          outputs.addObject().put("type", "function_call_output").put("call_id", item.path("call_id").asText())
              .put("output", name.equals("get_weather") ? "{\"sky\":\"sunny\"}" : "{\"time\":\"12:00\"}");
        }
      }
      if (outputs.isEmpty()) {
        return answers;
      }
      if (chained) {
        input = outputs;
      } else {
        input.addAll((ArrayNode) a.response().path("output"));
        input.addAll(outputs);
      }
    }
    return answers;
  }
}
