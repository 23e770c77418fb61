package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.testing.TestProxy;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed requests: each gets a 4xx OpenAI error naming what is wrong; none gets a 500. */
class BadRequestTableTest {
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

  private static final String MSG = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("empty body", "", 400, "", "empty"),
        Arguments.of("blank body", "   \n", 400, "", "empty"),
        Arguments.of("not JSON", "model=echo", 400, "", "not valid JSON"),
        Arguments.of("truncated JSON", "{\"model\":\"echo\",", 400, "", "not valid JSON"),
        Arguments.of("array body", "[{\"model\":\"echo\"}]", 400, "", "must be a JSON object"),
        Arguments.of("string body", "\"hello\"", 400, "", "must be a JSON object"),
        Arguments.of("trailing garbage", "{\"model\":\"echo\"," + MSG + "} {}", 400, "", "after the JSON object"),
        Arguments.of("duplicate key", "{\"model\":\"echo\",\"model\":\"x\"," + MSG + "}", 400, "", "Duplicate field"),
        Arguments.of("missing model", "{" + MSG + "}", 400, "model", "Missing required parameter: 'model'"),
        Arguments.of("model not a string", "{\"model\":42," + MSG + "}", 400, "model", "expected a string"),
        Arguments.of("empty model", "{\"model\":\"  \"," + MSG + "}", 400, "model", "must not be empty"),
        Arguments.of("unknown model", "{\"model\":\"gpt-9\"," + MSG + "}", 404, "model", "available models: echo, vectors"),
        Arguments.of("embedding model", "{\"model\":\"vectors\"," + MSG + "}", 400, "model", "/v1/embeddings"),
        Arguments.of("missing messages", "{\"model\":\"echo\"}", 400, "messages", "Missing required parameter: 'messages'"),
        Arguments.of("messages not array", "{\"model\":\"echo\",\"messages\":\"hi\"}", 400, "messages", "expected an array"),
        Arguments.of("empty messages", "{\"model\":\"echo\",\"messages\":[]}", 400, "messages", "at least one message"),
        Arguments.of("message not object", "{\"model\":\"echo\",\"messages\":[\"hi\"]}", 400, "messages[0]", "expected an object"),
        Arguments.of("message without role", "{\"model\":\"echo\",\"messages\":[{\"content\":\"hi\"}]}", 400, "messages[0].role",
            "Missing required parameter"),
        Arguments.of("unknown role", "{\"model\":\"echo\",\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}", 400,
            "messages[0].role", "'robot'"),
        Arguments.of("role not string", "{\"model\":\"echo\",\"messages\":[{\"role\":1,\"content\":\"hi\"}]}", 400,
            "messages[0].role", "expected a string"),
        Arguments.of("content number", "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":5}]}", 400,
            "messages[0].content", "string or an array"),
        Arguments.of("content part without type", "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]}",
            400, "messages[0].content[0].type", "Missing required parameter"),
        Arguments.of("second message bad", "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\",\"content\":{}}]}",
            400, "messages[1].content", "string or an array"),
        Arguments.of("stream not boolean", "{\"model\":\"echo\",\"stream\":\"yes\"," + MSG + "}", 400, "stream", "expected a boolean"),
        Arguments.of("stream_options without stream", "{\"model\":\"echo\",\"stream_options\":{\"include_usage\":true}," + MSG + "}",
            400, "stream_options", "only allowed when 'stream' is true"),
        Arguments.of("include_usage not boolean", "{\"model\":\"echo\",\"stream\":true,\"stream_options\":{\"include_usage\":1}," + MSG + "}",
            400, "stream_options.include_usage", "expected a boolean"),
        Arguments.of("temperature string", "{\"model\":\"echo\",\"temperature\":\"hot\"," + MSG + "}", 400, "temperature", "expected a number"),
        Arguments.of("temperature too high", "{\"model\":\"echo\",\"temperature\":3," + MSG + "}", 400, "temperature", "from 0 to 2, got 3"),
        Arguments.of("top_p negative", "{\"model\":\"echo\",\"top_p\":-0.1," + MSG + "}", 400, "top_p", "from 0 to 1"),
        Arguments.of("n zero", "{\"model\":\"echo\",\"n\":0," + MSG + "}", 400, "n", "from 1 to 128"),
        Arguments.of("n decimal", "{\"model\":\"echo\",\"n\":1.5," + MSG + "}", 400, "n", "expected an integer"),
        Arguments.of("max_tokens zero", "{\"model\":\"echo\",\"max_tokens\":0," + MSG + "}", 400, "max_tokens", "at least 1"),
        Arguments.of("max_completion_tokens string", "{\"model\":\"echo\",\"max_completion_tokens\":\"10\"," + MSG + "}", 400,
            "max_completion_tokens", "expected an integer"),
        Arguments.of("presence_penalty too low", "{\"model\":\"echo\",\"presence_penalty\":-3," + MSG + "}", 400, "presence_penalty", "from -2 to 2"),
        Arguments.of("stop number", "{\"model\":\"echo\",\"stop\":5," + MSG + "}", 400, "stop", "string or an array of strings"),
        Arguments.of("stop too many", "{\"model\":\"echo\",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]," + MSG + "}", 400, "stop", "at most 4"),
        Arguments.of("stop element number", "{\"model\":\"echo\",\"stop\":[\"a\",1]," + MSG + "}", 400, "stop[1]", "expected a string"),
        Arguments.of("tools not array", "{\"model\":\"echo\",\"tools\":{}," + MSG + "}", 400, "tools", "expected an array"),
        Arguments.of("tool not object", "{\"model\":\"echo\",\"tools\":[\"get_weather\"]," + MSG + "}", 400, "tools[0]", "expected an object"),
        Arguments.of("tool_choice number", "{\"model\":\"echo\",\"tool_choice\":1," + MSG + "}", 400, "tool_choice", "a string or an object"),
        Arguments.of("response_format string", "{\"model\":\"echo\",\"response_format\":\"json\"," + MSG + "}", 400, "response_format", "an object"),
        Arguments.of("logprobs string", "{\"model\":\"echo\",\"logprobs\":\"true\"," + MSG + "}", 400, "logprobs", "a boolean"),
        Arguments.of("top_logprobs too high", "{\"model\":\"echo\",\"top_logprobs\":21," + MSG + "}", 400, "top_logprobs", "from 0 to 20"),
        Arguments.of("seed decimal", "{\"model\":\"echo\",\"seed\":1.2," + MSG + "}", 400, "seed", "an integer"),
        Arguments.of("user number", "{\"model\":\"echo\",\"user\":7," + MSG + "}", 400, "user", "a string"),
        Arguments.of("invalid UTF-8", "{\"model\":\"echo\",\"x\":\"\u0000\"," + MSG + "}", 400, "", "not valid JSON"),
        Arguments.of("too deep", "{\"model\":\"echo\"," + MSG + ",\"x\":" + "[".repeat(1200) + "]".repeat(1200) + "}", 400, "", "nesting deeper than 1000 levels"),
        Arguments.of("body over the limit", "{\"model\":\"echo\"," + MSG + ",\"pad\":\"" + "x".repeat(5000) + "\"}", 413, "", "larger than the limit"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersWithAClearClientError(String name, String body, int status, String param, String message) {
    TestProxy.Reply reply = proxy.chat(body);
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.header("content-type")).startsWith("application/json");
    assertThat(reply.json().at("/error/type").asText()).isNotEmpty();
    if (!param.isEmpty()) {
      assertThat(reply.json().at("/error/param").asText()).isEqualTo(param);
    }
    assertThat(reply.json().at("/error/message").asText()).contains(message).doesNotContain("Exception", "at dev.");
  }
}
