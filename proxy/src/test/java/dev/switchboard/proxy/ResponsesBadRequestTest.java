package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.testing.RawHttp;
import dev.switchboard.proxy.testing.TestProxy;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed Responses API requests: each gets the status, OpenAI error object and words OpenAI's
 * API answers with, naming the parameter; none gets a 500.
 */
class ResponsesBadRequestTest {
  private static TestProxy proxy;

  @BeforeAll
  static void start() {
    proxy = TestProxy.start(Settings.defaults().withMaxBodyBytes(4096));
    proxy.serve("""
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: mock}
        spec: {provider: mock, models: [{name: echo}, {name: vectors, type: embedding}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: echo}
        spec: {model: echo, targets: [{backendRef: {name: mock}}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: vectors}
        spec: {model: vectors, targets: [{backendRef: {name: mock}}]}
        """);
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  private static final String M = "\"model\":\"echo\",";
  private static final String IN = "\"input\":\"hi\"";

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("empty body", "", 400, "", "empty"),
        Arguments.of("not JSON", "model=echo", 400, "", "We could not parse the JSON body of your request"),
        Arguments.of("truncated JSON", "{" + M, 400, "", "We could not parse the JSON body"),
        Arguments.of("array body", "[]", 400, "", "must be a JSON object"),
        Arguments.of("trailing garbage", "{" + M + IN + "} {}", 400, "", "We could not parse the JSON body"),
        Arguments.of("duplicate key", "{" + M + "\"model\":\"x\"," + IN + "}", 400, "", "We could not parse the JSON body"),
        Arguments.of("missing model", "{" + IN + "}", 400, "model", "Missing required parameter: 'model'."),
        Arguments.of("model not a string", "{\"model\":5," + IN + "}", 400, "model", "Invalid type for 'model': expected a string, but got a number instead."),
        Arguments.of("empty model", "{\"model\":\"\"," + IN + "}", 400, "model", "Invalid 'model': empty string."),
        Arguments.of("unknown model", "{\"model\":\"gpt-9\"," + IN + "}", 404, "model", "available models: echo, vectors"),
        Arguments.of("embedding model", "{\"model\":\"vectors\"," + IN + "}", 400, "model", "/v1/embeddings"),
        Arguments.of("missing input", "{\"model\":\"echo\"}", 400, "input", "Missing required parameter: 'input'."),
        Arguments.of("input an object", "{" + M + "\"input\":{}}", 400, "input",
            "Invalid type for 'input': expected one of a string or array of input items, but got an object instead."),
        Arguments.of("input item not an object", "{" + M + "\"input\":[1]}", 400, "input[0]", "Invalid type for 'input[0]'"),
        Arguments.of("text not an object (found by fuzzing)", "{" + M + IN + ",\"text\":false}", 400, "text",
            "Invalid type for 'text': expected an object, but got a boolean instead."),
        Arguments.of("text.format not an object", "{" + M + IN + ",\"text\":{\"format\":\"json\"}}", 400, "text.format",
            "Invalid type for 'text.format': expected an object, but got a string instead."),
        Arguments.of("reasoning not an object", "{" + M + IN + ",\"reasoning\":\"high\"}", 400, "reasoning",
            "Invalid type for 'reasoning': expected an object, but got a string instead."),
        Arguments.of("unknown item type", "{" + M + "\"input\":[{\"type\":\"video\"}]}", 400, "input[0].type", "Invalid value: 'video'."),
        Arguments.of("wrong role", "{" + M + "\"input\":[{\"role\":\"tool\",\"content\":\"x\"}]}", 400, "input[0].role",
            "Invalid value: 'tool'. Supported values are: 'user', 'assistant', 'system', and 'developer'."),
        Arguments.of("missing role", "{" + M + "\"input\":[{\"type\":\"message\",\"content\":\"x\"}]}", 400, "input[0].role",
            "Missing required parameter: 'input[0].role'."),
        Arguments.of("missing content", "{" + M + "\"input\":[{\"role\":\"user\"}]}", 400, "input[0].content",
            "Missing required parameter: 'input[0].content'."),
        Arguments.of("bad part type", "{" + M + "\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"output_text\",\"text\":\"x\"}]}]}",
            400, "input[0].content[0].type", "Invalid value: 'output_text'."),
        Arguments.of("input_text without text", "{" + M + "\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\"}]}]}", 400,
            "input[0].content[0].text", "Missing required parameter: 'input[0].content[0].text'."),
        Arguments.of("image without url", "{" + M + "\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\"}]}]}", 400,
            "input[0].content[0]", "Missing required parameter: 'input[0].content[0].image_url'."),
        Arguments.of("function_call without call_id", "{" + M + "\"input\":[{\"type\":\"function_call\",\"name\":\"f\",\"arguments\":\"{}\"}]}",
            400, "input[0].call_id", "Missing required parameter: 'input[0].call_id'."),
        Arguments.of("function_call without arguments", "{" + M + "\"input\":[{\"type\":\"function_call\",\"call_id\":\"c\",\"name\":\"f\"}]}",
            400, "input[0].arguments", "Missing required parameter: 'input[0].arguments'."),
        Arguments.of("output without output", "{" + M + "\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"c\"}]}", 400,
            "input[0].output", "Missing required parameter: 'input[0].output'."),
        Arguments.of("output for no call", "{" + M + "\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"call_9\",\"output\":\"x\"}]}",
            400, "input", "No tool call found for function call output with call_id call_9."),
        Arguments.of("temperature above 2", "{" + M + IN + ",\"temperature\":3}", 400, "temperature",
            "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead."),
        Arguments.of("temperature a string", "{" + M + IN + ",\"temperature\":\"hot\"}", 400, "temperature",
            "Invalid type for 'temperature': expected a decimal, but got a string instead."),
        Arguments.of("top_p above 1", "{" + M + IN + ",\"top_p\":1.5}", 400, "top_p", "decimal above maximum value"),
        Arguments.of("max_output_tokens too small", "{" + M + IN + ",\"max_output_tokens\":5}", 400, "max_output_tokens",
            "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got 5 instead."),
        Arguments.of("stream not a boolean", "{" + M + IN + ",\"stream\":\"yes\"}", 400, "stream",
            "Invalid type for 'stream': expected a boolean, but got a string instead."),
        Arguments.of("store not a boolean", "{" + M + IN + ",\"store\":1}", 400, "store", "Invalid type for 'store'"),
        Arguments.of("instructions not a string", "{" + M + IN + ",\"instructions\":[]}", 400, "instructions", "Invalid type for 'instructions'"),
        Arguments.of("metadata not an object", "{" + M + IN + ",\"metadata\":\"x\"}", 400, "metadata", "Invalid type for 'metadata'"),
        Arguments.of("metadata too large", "{" + M + IN + ",\"metadata\":{" + metadata(17) + "}}", 400, "metadata",
            "Expected an object with at most 16 properties, but got 17 instead."),
        Arguments.of("bad reasoning effort", "{" + M + IN + ",\"reasoning\":{\"effort\":\"extreme\"}}", 400, "reasoning.effort",
            "Invalid value: 'extreme'. Supported values are: 'none', 'minimal', 'low', 'medium', 'high', and 'xhigh'."),
        Arguments.of("bad reasoning summary", "{" + M + IN + ",\"reasoning\":{\"summary\":\"long\"}}", 400, "reasoning.summary",
            "Invalid value: 'long'."),
        Arguments.of("bad text format", "{" + M + IN + ",\"text\":{\"format\":{\"type\":\"xml\"}}}", 400, "text.format.type",
            "Invalid value: 'xml'. Supported values are: 'text', 'json_object', and 'json_schema'."),
        Arguments.of("json_schema without name", "{" + M + IN + ",\"text\":{\"format\":{\"type\":\"json_schema\",\"schema\":{}}}}", 400,
            "text.format.name", "Missing required parameter: 'text.format.name'."),
        Arguments.of("tools not an array", "{" + M + IN + ",\"tools\":{}}", 400, "tools", "Invalid type for 'tools'"),
        Arguments.of("function tool without name", "{" + M + IN + ",\"tools\":[{\"type\":\"function\"}]}", 400, "tools[0].name",
            "Missing required parameter: 'tools[0].name'."),
        Arguments.of("duplicate tool names", "{" + M + IN + ",\"tools\":[{\"type\":\"function\",\"name\":\"f\"},{\"type\":\"function\","
            + "\"name\":\"f\"}]}", 400, "tools", "Duplicate tool name: 'f'."),
        Arguments.of("bad tool_choice", "{" + M + IN + ",\"tool_choice\":\"sometimes\"}", 400, "tool_choice",
            "Invalid value: 'sometimes'. Supported values are: 'none', 'auto', and 'required'."),
        Arguments.of("forced built-in tool", "{" + M + IN + ",\"tools\":[{\"type\":\"web_search\"}],\"tool_choice\":{\"type\":\"web_search\"}}",
            400, "tool_choice", "web_search"),
        Arguments.of("unknown previous response", "{" + M + IN + ",\"previous_response_id\":\"resp_nope\"}", 404, "previous_response_id",
            "Previous response with id 'resp_nope' not found."),
        Arguments.of("oversized body", "{" + M + "\"input\":\"" + "x".repeat(5000) + "\"}", 413, "", "larger than the limit"));
  }

  private static String metadata(int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
    }
    return out.toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachIsAnsweredInOpenAisWords(String name, String body, int status, String param, String message) {
    TestProxy.Reply r = proxy.send("POST", proxy.url() + "/v1/responses", body);

    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.json().path("error").path("message").asText()).as(r.body()).contains(message);
    assertThat(r.json().path("error").path("param").asText("")).as(r.body()).isEqualTo(param);
    assertThat(r.header("x-request-id")).isNotEmpty();
  }

  @Test
  void aWebSocketUpgradeGetsAPlainAnswerAtOnceAndCompactionA404() {
    int port = java.net.URI.create(proxy.url()).getPort();
    RawHttp.Exchange ws = RawHttp.send(port, "GET /v1/responses HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", Duration.ofSeconds(5));
    assertThat(ws.text()).startsWith("HTTP/1.1 426").contains("HTTP only");
    assertThat(proxy.get("/v1/responses").status()).isEqualTo(405);
    TestProxy.Reply compact = proxy.send("POST", proxy.url() + "/v1/responses/compact", "{\"model\":\"echo\",\"input\":[]}");
    assertThat(compact.status()).isEqualTo(404);
    assertThat(compact.json().path("error").path("message").asText()).contains("compact");
  }
}
