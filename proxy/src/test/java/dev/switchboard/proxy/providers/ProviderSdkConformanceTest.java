package dev.switchboard.proxy.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.NodeSdk;
import dev.switchboard.proxy.testing.TestProxy;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official OpenAI SDK through the proxy to each translated provider: the client cannot tell
 * who answered. Each fake provider answers in its own format: streamed or whole, with or without
 * tool calls, as it is asked.
 */
class ProviderSdkConformanceTest {
  static final String ANTHROPIC_TEXT_STREAM = """
      event: message_start
      data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"usage":{"input_tokens":10,"output_tokens":1}}}

      event: content_block_start
      data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello from "}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Claude"}}

      event: content_block_stop
      data: {"type":"content_block_stop","index":0}

      event: message_delta
      data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":4}}

      event: message_stop
      data: {"type":"message_stop"}

      """;
  static final String GEMINI_TEXT_STREAM = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello from \"}],\"role\":\"model\"}}],"
      + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"g1\"}\r\n\r\n"
      + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Gemini\"}],\"role\":\"model\"},\"finishReason\":\"STOP\"}],"
      + "\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":3,\"totalTokenCount\":8},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"g1\"}\r\n\r\n";
  static final String OLLAMA_TEXT_STREAM = """
      {"model":"llama3.2","message":{"role":"assistant","content":"Hello from "},"done":false}
      {"model":"llama3.2","message":{"role":"assistant","content":"Ollama"},"done":false}
      {"model":"llama3.2","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":12,"eval_count":3}
      """;
  static final String RESPONSES_TEXT = """
      {"id":"resp_8","object":"response","created_at":1741408624,"status":"completed","model":"gpt-5","output":[
        {"type":"message","id":"msg_1","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello from Azure","annotations":[]}]}],
       "usage":{"input_tokens":8,"output_tokens":3,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":11}}""";
  static final String RESPONSES_TEXT_STREAM = """
      event: response.created
      data: {"type":"response.created","response":{"id":"resp_9","object":"response","created_at":1741290958,"status":"in_progress","model":"gpt-5","output":[]}}

      event: response.output_text.delta
      data: {"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hello from "}

      event: response.output_text.delta
      data: {"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"Azure"}

      event: response.completed
      data: {"type":"response.completed","response":{"id":"resp_9","status":"completed","model":"gpt-5","usage":{"input_tokens":9,"output_tokens":2,"total_tokens":11}}}

      """;

  /** A provider fake that answers each request in the shape it asks for. */
  private static FakeUpstream.Behaviour provider(String contentType, String textJson, String toolJson, String textStream,
      String toolStream) {
    return (req, res, r) -> {
      boolean stream = r.body().contains("\"stream\":true") || r.path().contains("streamGenerateContent");
      boolean tools = r.body().contains("\"tools\"");
      FakeUpstream.Behaviour answer = stream
          ? FakeUpstream.split(contentType, tools ? toolStream : textStream, 23)
          : FakeUpstream.json(200, tools ? toolJson : textJson);
      answer.answer(req, res, r);
    };
  }

  static Stream<Arguments> providers() {
    return Stream.of(
        Arguments.of("anthropic", "provider: anthropic\n  credentials: {secretRef: {name: k, key: k}}", "claude-sonnet-4-5",
            provider("text/event-stream", AnthropicAdapterTest.MESSAGE, AnthropicAdapterTest.TOOL_MESSAGE, ANTHROPIC_TEXT_STREAM,
                AnthropicAdapterTest.STREAM)),
        Arguments.of("gemini", "provider: gemini\n  credentials: {secretRef: {name: k, key: k}}", "gemini-2.5-flash",
            provider("text/event-stream", GeminiAdapterTest.RESPONSE, GeminiAdapterTest.CALLS, GEMINI_TEXT_STREAM,
                GeminiAdapterTest.STREAM)),
        Arguments.of("ollama", "provider: ollama", "llama3.2",
            provider("application/x-ndjson", OllamaAdapterTest.RESPONSE, OllamaAdapterTest.STREAM.lines().toList().get(2)
                .replace("\"done\":false", "\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":3,\"eval_count\":4"),
                OLLAMA_TEXT_STREAM, OllamaAdapterTest.STREAM)),
        Arguments.of("azure responses", "provider: azure-openai\n  credentials: {secretRef: {name: k, key: k}}\n"
                + "  azure: {apiVersion: v1, api: responses, deployments: {gpt-5: gpt-5}}", "gpt-5",
            provider("text/event-stream", RESPONSES_TEXT, AzureResponsesAdapterTest.RESPONSE, RESPONSES_TEXT_STREAM, AzureResponsesAdapterTest.STREAM)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void theOfficialSdkCannotTellWhichProviderAnswered(String name, String spec, String model, FakeUpstream.Behaviour fake)
      throws Exception {
    try (FakeUpstream upstream = FakeUpstream.start(); TestProxy proxy = TestProxy.start()) {
      upstream.then(fake);
      proxy.serve("""
          apiVersion: v1
          kind: Secret
          metadata: {name: k}
          stringData: {k: test-key}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: p}
          spec:
            %s
            url: %s
            models: [{name: %s}]
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: chat}
          spec: {model: chat, targets: [{backendRef: {name: p}, model: %s}]}
          """.formatted(spec, upstream.url(), model, model));
      NodeSdk.Run run = NodeSdk.run(Map.of("BASE_URL", proxy.url() + "/v1", "MODEL", "chat", "TOOLS", "1"));
      assertThat(run.lines()).as(String.join("\n", run.lines()) + run.stderr()).hasSize(9).allMatch(l -> l.contains("\"ok\":true"));
    }
  }
}
