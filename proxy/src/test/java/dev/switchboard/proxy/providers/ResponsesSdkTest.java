package dev.switchboard.proxy.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.NodeSdk;
import dev.switchboard.proxy.testing.ReasoningFakes;
import dev.switchboard.proxy.testing.ResponsesClient;
import dev.switchboard.proxy.testing.TestProxy;
import dev.switchboard.proxy.testing.Wire;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI SDK's Responses calls and the OpenAI Agents SDK's default (Responses) model,
 * unmodified, through the Responses surface: tool loops with reasoning on every provider (passed
 * through to the Azure and the OpenAI-compatible Responses backends, stored conversations continuing
 * from their own state; translated everywhere else), chained and resent whole,
 * streamed and not, retrieve and input items, and each error status as the SDK's own class.
 */
class ResponsesSdkTest {
  @Test
  void theOpenAiSdkAndTheAgentsSdkWorkOnEveryProvider() throws Exception {
    MessagesSurfaceTest.start();
    FakeUpstream broken = FakeUpstream.start().then(FakeUpstream.json(500, Wire.error("boom", "server_error", "")));
    TestProxy proxy = TestProxy.start(Settings.defaults().withClientKeys(List.of("sk-client")));
    try {
      proxy.serve(MessagesSurfaceTest.manifests() + AnthropicSdkTest.errorRoutes(broken));
      NodeSdk.install(); // before the breaker opens: its 5 s cooldown must outlast the script's start, not npm's
      String hi = "{\"model\":\"%s\",\"input\":\"hi\"}";
      assertThat(ResponsesClient.send(proxy, hi.formatted("limited"), "authorization", "Bearer sk-client").status()).isEqualTo(200);
      for (int i = 0; i < 3; i++) {
        assertThat(ResponsesClient.send(proxy, hi.formatted("down"), "authorization", "Bearer sk-client").status()).isEqualTo(502);
      }

      NodeSdk.Run run = NodeSdk.run("responses.mjs", Map.of(
          "BASE_URL", proxy.url() + "/v1",
          "API_KEY", "sk-client",
          "MODELS", "anthropic,gemini,responses,ollama,deepseek,compatible,compatible-responses",
          "AGENT_MODELS", "anthropic,compatible",
          "ANSWER", ReasoningFakes.ANSWER,
          "ERRORS", """
              {"400": {"model": "compatible", "maxOutputTokens": 5}, "401": {"model": "compatible", "apiKey": "sk-wrong"},
               "404": {"model": "gpt-nope"}, "429": {"model": "limited"}, "502": {"model": "broken"}, "503": {"model": "down"}}"""));

      assertThat(run.lines()).as(run.stderr()).hasSize(6 + 7 * 3 + 2 * 2).allSatisfy(line -> assertThat(line).contains("\"ok\":true"));
      assertThat(run.exitCode()).isZero();
    } finally {
      proxy.close();
      broken.close();
      MessagesSurfaceTest.stop();
    }
  }
}
