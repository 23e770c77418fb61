package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.testing.MessagesClient;
import dev.switchboard.proxy.testing.TestProxy;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed Anthropic Messages requests: each gets the status, error type and words Anthropic's
 * own API answers with ({@code path: problem}), in Anthropic's error object; none gets a 500.
 */
class MessagesBadRequestTest {
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

  private static final String M = "\"model\":\"echo\",\"max_tokens\":100,";
  private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
  private static final String USE = "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"t\",\"input\":{}}]}";
  private static final String TOOL = "\"tools\":[{\"name\":\"t\",\"input_schema\":{\"type\":\"object\"}}],";

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("empty body", "", 400, "invalid_request_error", "error parsing the body"),
        Arguments.of("not JSON", "model=echo", 400, "invalid_request_error", "not valid JSON"),
        Arguments.of("truncated JSON", "{" + M, 400, "invalid_request_error", "not valid JSON"),
        Arguments.of("array body", "[]", 400, "invalid_request_error", "must be a JSON object"),
        Arguments.of("trailing garbage", "{" + M + HI + "} {}", 400, "invalid_request_error", "not valid JSON"),
        Arguments.of("duplicate key", "{" + M + "\"model\":\"x\"," + HI + "}", 400, "invalid_request_error", "not valid JSON"),
        Arguments.of("missing model", "{\"max_tokens\":10," + HI + "}", 400, "invalid_request_error", "model: Field required"),
        Arguments.of("model not a string", "{\"model\":1,\"max_tokens\":10," + HI + "}", 400, "invalid_request_error",
            "model: Input should be a valid string"),
        Arguments.of("unknown model", "{\"model\":\"claude-9\",\"max_tokens\":10," + HI + "}", 404, "not_found_error", "claude-9"),
        Arguments.of("embedding model", "{\"model\":\"vectors\",\"max_tokens\":10," + HI + "}", 400, "invalid_request_error", "embeddings"),
        Arguments.of("missing max_tokens", "{\"model\":\"echo\"," + HI + "}", 400, "invalid_request_error", "max_tokens: Field required"),
        Arguments.of("max_tokens zero", "{\"model\":\"echo\",\"max_tokens\":0," + HI + "}", 400, "invalid_request_error",
            "max_tokens: Input should be greater than or equal to 1"),
        Arguments.of("max_tokens a string", "{\"model\":\"echo\",\"max_tokens\":\"10\"," + HI + "}", 400, "invalid_request_error",
            "max_tokens: Input should be a valid integer"),
        Arguments.of("missing messages", "{\"model\":\"echo\",\"max_tokens\":10}", 400, "invalid_request_error", "messages: Field required"),
        Arguments.of("messages not a list", "{" + M + "\"messages\":{}}", 400, "invalid_request_error", "messages: Input should be a valid list"),
        Arguments.of("no messages", "{" + M + "\"messages\":[]}", 400, "invalid_request_error", "messages: at least one message is required"),
        Arguments.of("wrong role", "{" + M + "\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}", 400, "invalid_request_error",
            "messages.0.role: Input should be 'user' or 'assistant'"),
        Arguments.of("missing role", "{" + M + "\"messages\":[{\"content\":\"x\"}]}", 400, "invalid_request_error", "messages.0.role: Field required"),
        Arguments.of("missing content", "{" + M + "\"messages\":[{\"role\":\"user\"}]}", 400, "invalid_request_error",
            "messages.0.content: Field required"),
        Arguments.of("empty content", "{" + M + "\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}", 400, "invalid_request_error",
            "messages.0: all messages must have non-empty content except for the optional final assistant message"),
        Arguments.of("empty text block", "{" + M + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"\"}]}]}", 400,
            "invalid_request_error", "text content blocks must be non-empty"),
        Arguments.of("bad block type", "{" + M + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"video\"}]}]}", 400,
            "invalid_request_error", "messages.0.content.0.type: Input tag 'video' found using 'type' does not match any of the expected tags"),
        Arguments.of("bad image media type", "{" + M + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":"
            + "{\"type\":\"base64\",\"media_type\":\"image/bmp\",\"data\":\"AAAA\"}}]}]}", 400, "invalid_request_error",
            "messages.0.content.0.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'"),
        Arguments.of("tool_use in a user message", "{" + M + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_use\",\"id\":\"a\","
            + "\"name\":\"t\",\"input\":{}}]}]}", 400, "invalid_request_error", "`tool_use` blocks can only be in `assistant` messages"),
        Arguments.of("orphan tool_result", "{" + M + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
            + "\"tool_use_id\":\"toolu_9\",\"content\":\"x\"}]}]}", 400, "invalid_request_error",
            "messages.0.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_9. Each `tool_result` block must have a "
            + "corresponding `tool_use` block in the previous message."),
        Arguments.of("tool_use without result", "{" + M + TOOL + "\"messages\":[{\"role\":\"user\",\"content\":\"go\"}," + USE
            + ",{\"role\":\"user\",\"content\":\"and?\"}]}", 400, "invalid_request_error",
            "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1. Each `tool_use` block must "
            + "have a corresponding `tool_result` block in the next message."),
        Arguments.of("tool_use input not an object", "{" + M + "\"messages\":[{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\","
            + "\"content\":[{\"type\":\"tool_use\",\"id\":\"a\",\"name\":\"t\",\"input\":\"x\"}]}]}", 400, "invalid_request_error",
            "messages.1.content.0.tool_use.input: Input should be a valid dictionary"),
        Arguments.of("thinking without signature", "{" + M + "\"messages\":[{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\","
            + "\"content\":[{\"type\":\"thinking\",\"thinking\":\"hm\"}]}]}", 400, "invalid_request_error",
            "messages.1.content.0.thinking.signature: Field required"),
        Arguments.of("thinking budget too small", "{\"model\":\"echo\",\"max_tokens\":4000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":100},"
            + HI + "}", 400, "invalid_request_error", "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"),
        Arguments.of("thinking budget over max_tokens", "{\"model\":\"echo\",\"max_tokens\":2000,\"thinking\":{\"type\":\"enabled\","
            + "\"budget_tokens\":4000}," + HI + "}", 400, "invalid_request_error", "`max_tokens` must be greater than `thinking.budget_tokens`"),
        Arguments.of("thinking without budget", "{" + M + "\"thinking\":{\"type\":\"enabled\"}," + HI + "}", 400, "invalid_request_error",
            "thinking.enabled.budget_tokens: Field required"),
        Arguments.of("unknown thinking type", "{" + M + "\"thinking\":{\"type\":\"deep\"}," + HI + "}", 400, "invalid_request_error",
            "thinking: Input tag 'deep'"),
        Arguments.of("temperature above 1", "{" + M + "\"temperature\":1.5," + HI + "}", 400, "invalid_request_error",
            "temperature: Input should be less than or equal to 1"),
        Arguments.of("top_p negative", "{" + M + "\"top_p\":-0.1," + HI + "}", 400, "invalid_request_error",
            "top_p: Input should be greater than or equal to 0"),
        Arguments.of("top_k negative", "{" + M + "\"top_k\":-1," + HI + "}", 400, "invalid_request_error",
            "top_k: Input should be greater than or equal to 0"),
        Arguments.of("stream not a boolean", "{" + M + "\"stream\":\"yes\"," + HI + "}", 400, "invalid_request_error",
            "stream: Input should be a valid boolean"),
        Arguments.of("stop_sequences not strings", "{" + M + "\"stop_sequences\":[1]," + HI + "}", 400, "invalid_request_error",
            "stop_sequences.0: Input should be a valid string"),
        Arguments.of("system block not text", "{" + M + "\"system\":[{\"type\":\"image\"}]," + HI + "}", 400, "invalid_request_error",
            "system.0.type: Input should be 'text'"),
        Arguments.of("tool without input_schema", "{" + M + "\"tools\":[{\"name\":\"t\"}]," + HI + "}", 400, "invalid_request_error",
            "tools.0.custom.input_schema: Field required"),
        Arguments.of("tool name with a dot", "{" + M + "\"tools\":[{\"name\":\"a.b\",\"input_schema\":{}}]," + HI + "}", 400,
            "invalid_request_error", "tools.0.custom.name: String should match pattern"),
        Arguments.of("duplicate tool names", "{" + M + "\"tools\":[{\"name\":\"t\",\"input_schema\":{}},{\"name\":\"t\",\"input_schema\":{}}],"
            + HI + "}", 400, "invalid_request_error", "Tool names must be unique"),
        Arguments.of("tool_choice without tools", "{" + M + "\"tool_choice\":{\"type\":\"any\"}," + HI + "}", 400, "invalid_request_error",
            "tool_choice may only be specified while providing tools"),
        Arguments.of("tool_choice names an unknown tool", "{" + M + TOOL + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"x\"}," + HI + "}", 400,
            "invalid_request_error", "Tool 'x' not found in provided tools"),
        Arguments.of("tool_choice bad type", "{" + M + TOOL + "\"tool_choice\":{\"type\":\"required\"}," + HI + "}", 400,
            "invalid_request_error", "tool_choice: Input tag 'required'"),
        Arguments.of("metadata.user_id not a string", "{" + M + "\"metadata\":{\"user_id\":5}," + HI + "}", 400, "invalid_request_error",
            "metadata.user_id: Input should be a valid string"),
        Arguments.of("oversized body", "{" + M + "\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(5000) + "\"}]}", 413,
            "request_too_large", "larger than the limit"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachIsAnsweredInAnthropicsWords(String name, String body, int status, String type, String message) {
    MessagesClient.Answer a = MessagesClient.send(proxy, body);
    JsonNode error = a.message();

    assertThat(a.status()).as(a.body()).isEqualTo(status);
    assertThat(error.path("type").asText()).as(a.body()).isEqualTo("error");
    assertThat(error.path("error").path("type").asText()).as(a.body()).isEqualTo(type);
    assertThat(error.path("error").path("message").asText()).as(a.body()).contains(message);
    assertThat(a.header("x-request-id")).isNotEmpty();
  }
}
