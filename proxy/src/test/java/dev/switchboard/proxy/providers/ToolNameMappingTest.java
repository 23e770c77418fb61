package dev.switchboard.proxy.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.ReasoningFakes;
import dev.switchboard.proxy.testing.ResponsesClient;
import dev.switchboard.proxy.testing.TestProxy;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tool names a provider refuses (dotted MCP names, Codex's namespaces past 128 characters, names
 * starting with a digit) reach Anthropic and Gemini as names they accept, against fakes that
 * refuse the others with the providers' own 400s, and come back to the client as the client wrote
 * them, streamed and not, on the Responses and the Chat Completions surfaces; the next turn's
 * history carries the same provider names.
 */
class ToolNameMappingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LONG_NAMESPACE = "mcp_" + "n".repeat(120);
  private static FakeUpstream anthropic;
  private static FakeUpstream gemini;
  private static TestProxy proxy;

  @BeforeAll
  static void start() {
    anthropic = FakeUpstream.start().then(ToolNameMappingTest::anthropicAnswer);
    gemini = FakeUpstream.start().then(ToolNameMappingTest::geminiAnswer);
    proxy = TestProxy.start();
    proxy.serve("""
        apiVersion: v1
        kind: Secret
        metadata: {name: keys}
        stringData: {key: sk-fake-provider-key}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: claude}
        spec: {provider: anthropic, url: %s, credentials: {secretRef: {name: keys, key: key}}, models: [{name: claude-fake}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: gemini}
        spec: {provider: gemini, url: %s, credentials: {secretRef: {name: keys, key: key}}, models: [{name: gemini-fake}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: anthropic}
        spec: {model: anthropic, targets: [{backendRef: {name: claude}, model: claude-fake}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: gemini}
        spec: {model: gemini, targets: [{backendRef: {name: gemini}, model: gemini-fake}]}
        """.formatted(anthropic.url(), gemini.url()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    anthropic.close();
    gemini.close();
  }

  @ParameterizedTest(name = "{0}, {1}, stream={2}")
  @CsvSource({"anthropic, github.create_issue, false", "anthropic, github.create_issue, true", "anthropic, namespaced, false",
      "anthropic, namespaced, true", "gemini, 1password.lookup, false", "gemini, 1password.lookup, true"})
  void aResponsesClientGetsItsToolNameBackAndTheNextTurnFinishes(String model, String tool, boolean stream) throws Exception {
    String tools = tool.equals("namespaced")
        ? "[{\"type\":\"namespace\",\"name\":\"" + LONG_NAMESPACE + "\",\"tools\":[{\"type\":\"function\",\"name\":\"create_issue\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{}}}]}]"
        : "[{\"type\":\"function\",\"name\":\"" + tool + "\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}]";
    ResponsesClient.Answer first = ResponsesClient.send(proxy, "{\"model\":\"" + model + "\",\"stream\":" + stream
        + ",\"store\":false,\"tools\":" + tools + ",\"input\":\"File it.\"}");
    assertThat(first.status()).as(first.body() + first.events()).isEqualTo(200);
    JsonNode call = first.response().path("output").findParent("call_id");
    if (tool.equals("namespaced")) {
      assertThat(call.path("namespace").asText()).isEqualTo(LONG_NAMESPACE);
      assertThat(call.path("name").asText()).isEqualTo("create_issue");
    } else {
      assertThat(call.path("name").asText()).isEqualTo(tool);
    }
    String upstreamName = offered(model);
    assertThat(upstreamName).isNotEqualTo(tool);

    ObjectNode echoed = ((ObjectNode) call.deepCopy());
    String second = "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"store\":false,\"tools\":" + tools
        + ",\"input\":[{\"role\":\"user\",\"content\":\"File it.\"}," + echoed + ",{\"type\":\"function_call_output\",\"call_id\":\""
        + call.path("call_id").asText() + "\",\"output\":\"filed\"}]}";
    ResponsesClient.Answer done = ResponsesClient.send(proxy, second);
    assertThat(done.status()).as(done.body()).isEqualTo(200);
    assertThat(ResponsesClient.outputText(done.response())).isEqualTo("Filed.");
    assertThat(historyName(model)).as("the history names the call as the provider knows it").isEqualTo(upstreamName);
  }

  @ParameterizedTest(name = "{0}, stream={1}")
  @CsvSource({"anthropic, false", "anthropic, true", "gemini, false", "gemini, true"})
  void aChatClientGetsItsToolNameBack(String model, boolean stream) throws Exception {
    String body = "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"Look.\"}],"
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"9lives/fs.read\",\"parameters\":{\"type\":\"object\"}}}],"
        + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"9lives/fs.read\"}}}";
    if (stream) {
      TestProxy.Streamed s = proxy.stream(body);
      assertThat(s.status()).isEqualTo(200);
      assertThat(String.join("", s.data())).contains("\"name\":\"9lives/fs.read\"");
    } else {
      TestProxy.Reply r = proxy.chat(body);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().path("choices").get(0).path("message").path("tool_calls").get(0).path("function").path("name").asText())
          .isEqualTo("9lives/fs.read");
    }
  }

  private static String offered(String model) throws Exception {
    JsonNode sent = JSON.readTree((model.equals("gemini") ? gemini : anthropic).last().body());
    return model.equals("gemini") ? sent.path("tools").get(0).path("functionDeclarations").get(0).path("name").asText()
        : sent.path("tools").get(0).path("name").asText();
  }

  private static String historyName(String model) throws Exception {
    JsonNode sent = JSON.readTree((model.equals("gemini") ? gemini : anthropic).last().body());
    return model.equals("gemini") ? sent.path("contents").findValue("functionCall").path("name").asText()
        : sent.path("messages").findParent("tool_use_id") == null ? "" : sent.path("messages").get(1).path("content").get(0).path("name").asText();
  }

  /** Calls the first tool offered, by the name it was offered under; answers once the result is back. */
  private static void anthropicAnswer(io.helidon.webserver.http.ServerRequest req, io.helidon.webserver.http.ServerResponse res,
      FakeUpstream.Received r) throws Exception {
    JsonNode body = JSON.readTree(r.body());
    String bad = ReasoningFakes.anthropicToolNames(body);
    if (bad != null) {
      FakeUpstream.json(400, JSON.createObjectNode().put("type", "error").set("error", JSON.createObjectNode()
          .put("type", "invalid_request_error").put("message", bad)).toString()).answer(req, res, r);
      return;
    }
    boolean answered = r.body().contains("\"tool_result\"");
    String name = body.path("tools").get(0).path("name").asText();
    String usage = "\"usage\":{\"input_tokens\":5,\"output_tokens\":3}";
    if (!body.path("stream").asBoolean()) {
      String content = answered ? "[{\"type\":\"text\",\"text\":\"Filed.\"}]"
          : "[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"" + name + "\",\"input\":{}}]";
      FakeUpstream.json(200, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-fake\",\"content\":"
          + content + ",\"stop_reason\":\"" + (answered ? "end_turn" : "tool_use") + "\"," + usage + "}").answer(req, res, r);
      return;
    }
    String start = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"claude-fake\",\"content\":[]," + usage + "}}\n\n";
    String block = answered
        ? "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Filed.\"}}\n\n"
        : "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\","
            + "\"id\":\"toolu_1\",\"name\":\"" + name + "\",\"input\":{}}}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}\n\n";
    String end = "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + (answered ? "end_turn" : "tool_use")
        + "\"},\"usage\":{\"output_tokens\":3}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    FakeUpstream.sse(Duration.ZERO, start, block, end).answer(req, res, r);
  }

  private static void geminiAnswer(io.helidon.webserver.http.ServerRequest req, io.helidon.webserver.http.ServerResponse res,
      FakeUpstream.Received r) throws Exception {
    JsonNode body = JSON.readTree(r.body());
    String bad = ReasoningFakes.geminiFunctionNames(body);
    if (bad != null) {
      FakeUpstream.json(400, JSON.createObjectNode().set("error", JSON.createObjectNode().put("code", 400).put("message", bad)
          .put("status", "INVALID_ARGUMENT")).toString()).answer(req, res, r);
      return;
    }
    boolean answered = r.body().contains("\"functionResponse\"");
    String name = body.path("tools").get(0).path("functionDeclarations").get(0).path("name").asText();
    String part = answered ? "{\"text\":\"Filed.\"}" : "{\"functionCall\":{\"name\":\"" + name + "\",\"args\":{}}}";
    String response = "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[" + part + "]},\"finishReason\":\"STOP\"}],"
        + "\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":3,\"totalTokenCount\":8}}";
    if (r.path().endsWith(":streamGenerateContent")) {
      FakeUpstream.sse(Duration.ZERO, "data: " + response + "\n\n").answer(req, res, r);
    } else {
      FakeUpstream.json(200, response).answer(req, res, r);
    }
  }
}
