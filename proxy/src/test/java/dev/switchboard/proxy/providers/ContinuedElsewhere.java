package dev.switchboard.proxy.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.testing.AgentLoop;
import dev.switchboard.proxy.testing.TestProxy;
import java.io.IOException;
import java.util.List;

/** Sends the second turn of a conversation, whose first answer came from elsewhere, to {@code proxy}. */
final class ContinuedElsewhere {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ContinuedElsewhere() {}

  static List<AgentLoop.Turn> run(TestProxy proxy, String model, JsonNode firstAnswer) {
    ArrayNode messages = JSON.createArrayNode();
    messages.addObject().put("role", "user").put("content", "What is the weather in Paris, and the time?");
    messages.add(firstAnswer);
    for (JsonNode call : firstAnswer.path("tool_calls")) {
      messages.addObject().put("role", "tool").put("tool_call_id", call.path("id").asText()).put("content", "{\"sky\":\"sunny\"}");
    }
    ObjectNode body = JSON.createObjectNode().put("model", model);
    body.set("messages", messages);
    try {
      body.set("tools", JSON.readTree(AgentLoop.TOOLS));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    TestProxy.Reply r = proxy.chat(body.toString());
    JsonNode json = r.status() == 200 ? r.json() : null;
    return List.of(new AgentLoop.Turn(r.status(), json == null ? null : json.path("choices").path(0).path("message"),
        json == null ? null : json.path("usage"), r.headers(), r.body()));
  }
}
