package dev.switchboard.proxy.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.MessagesClient;
import dev.switchboard.proxy.testing.NodeSdk;
import dev.switchboard.proxy.testing.ReasoningFakes;
import dev.switchboard.proxy.testing.TestProxy;
import dev.switchboard.proxy.testing.Wire;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The official Anthropic SDK, unmodified, through the Messages surface: the tool loop with
 * thinking on every provider (passed through to Anthropic, translated everywhere else), streamed
 * and not, text streams, countTokens, images, the model list, and each error status raising the
 * SDK's own error class.
 */
class AnthropicSdkTest {
  @Test
  void theAnthropicSdkWorksOnEveryProvider() throws Exception {
    MessagesSurfaceTest.start();
    FakeUpstream broken = FakeUpstream.start().then(FakeUpstream.json(500, Wire.error("boom", "server_error", "")));
    TestProxy proxy = TestProxy.start(Settings.defaults().withClientKeys(List.of("sk-client")).withMaxBodyBytes(256 * 1024));
    try {
      proxy.serve(MessagesSurfaceTest.manifests() + errorRoutes(broken));
      NodeSdk.install(); // before the breaker opens: its 5 s cooldown must outlast the script's start, not npm's
      String hi = "{\"model\":\"%s\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
      // The limited route's one request a minute is used; the down backend fails until it is ejected.
      assertThat(MessagesClient.send(proxy, hi.formatted("limited"), "x-api-key", "sk-client").status()).isEqualTo(200);
      for (int i = 0; i < 3; i++) {
        assertThat(MessagesClient.send(proxy, hi.formatted("down"), "x-api-key", "sk-client").status()).isEqualTo(502);
      }

      NodeSdk.Run run = NodeSdk.run("anthropic.mjs", Map.of(
          "BASE_URL", proxy.url(),
          "API_KEY", "sk-client",
          "MODELS", "anthropic,gemini,responses,ollama,deepseek,compatible",
          "IMAGE_MODEL", "compatible",
          "ANSWER", ReasoningFakes.ANSWER,
          "ERRORS", """
              {"400": {"model": "compatible", "maxTokens": 0}, "401": {"model": "compatible", "apiKey": "sk-wrong"},
               "404": {"model": "claude-nope"}, "413": {"model": "compatible", "big": true}, "429": {"model": "limited"},
               "502": {"model": "broken"}, "529": {"model": "down", "stream": true}}"""));

      assertThat(run.lines()).as(run.stderr()).hasSize(6 * 4 + 2 + 7).allSatisfy(line -> assertThat(line).contains("\"ok\":true"));
      assertThat(run.exitCode()).isZero();
    } finally {
      proxy.close();
      broken.close();
      MessagesSurfaceTest.stop();
    }
  }

  /** A route limited to one request a minute, one whose backend answers 500, and one whose backend is not there. */
  static String errorRoutes(FakeUpstream broken) {
    return """
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: mock}
          spec: {provider: mock, models: [{name: echo}], limits: {requestsPerMinute: 1}}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: limited}
          spec: {model: limited, retry: {attempts: 1}, targets: [{backendRef: {name: mock}, model: echo}]}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: broken}
          spec: {provider: openai-compatible, url: %s, models: [{name: m}]}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: broken}
          spec: {model: broken, retry: {attempts: 1}, targets: [{backendRef: {name: broken}, model: m}]}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: down}
          spec: {provider: openai-compatible, url: "http://127.0.0.1:%d", models: [{name: m}]}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: down}
          spec: {model: down, retry: {attempts: 1}, targets: [{backendRef: {name: down}, model: m}]}
          """.formatted(broken.url(), TestProxy.closedPort());
  }
}
