package dev.switchboard.proxy;

import static dev.switchboard.proxy.testing.FakeUpstream.completion;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.TestProxy;
import org.junit.jupiter.api.Test;

/** {@code exposeModels}: a backend's listed models as {@code <backend>/<model>}, one attempt, within ClientKey model lists. */
class ExposedModelsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void exposedNamesAnswerAndListOnceEachAndObeyClientKeyModelLists() throws Exception {
    try (FakeUpstream upstream = FakeUpstream.start(); TestProxy proxy = TestProxy.start()) {
      proxy.serve("""
          apiVersion: v1
          kind: Secret
          metadata: {name: keys}
          stringData: {wide: sk-sb-wide, narrow: sk-sb-narrow}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: openai}
          spec:
            provider: openai-compatible
            url: %s/v1
            models: [{name: gpt-4o, upstreamName: gpt-4o-2024-11-20}]
            exposeModels: true
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: mock}
          spec: {provider: mock, models: [{name: echo}]}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: chat}
          spec: {model: chat, targets: [{backendRef: {name: mock}, model: echo}]}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ClientKey
          metadata: {name: wide}
          spec: {secretRef: {name: keys, key: wide}}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ClientKey
          metadata: {name: narrow}
          spec: {secretRef: {name: keys, key: narrow}, models: [chat]}
          """.formatted(upstream.url()));
      String[] wide = {"authorization", "Bearer sk-sb-wide"};
      String[] narrow = {"authorization", "Bearer sk-sb-narrow"};
      assertThat(proxy.get("/v1/models", wide).json().findValuesAsText("id")).containsExactly("chat", "openai/gpt-4o");
      assertThat(proxy.get("/v1/models", narrow).json().findValuesAsText("id")).containsExactly("chat");

      upstream.then(completion("direct"), FakeUpstream.json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));
      String body = "{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
      TestProxy.Reply direct = proxy.chat(body, wide);
      assertThat(direct.status()).isEqualTo(200);
      assertThat(direct.header("x-switchboard-route")).isEqualTo("default/openai/gpt-4o");
      assertThat(JSON.readTree(upstream.last().body()).get("model").asText()).isEqualTo("gpt-4o-2024-11-20");

      TestProxy.Reply failed = proxy.chat(body, wide);
      assertThat(failed.status()).isGreaterThanOrEqualTo(500);
      assertThat(failed.header("x-switchboard-attempts")).as("no retries: a ModelRoute gives those").isEqualTo("1");
      assertThat(upstream.hits()).isEqualTo(2);

      TestProxy.Reply refused = proxy.chat(body, narrow);
      assertThat(refused.status()).isEqualTo(404);
      assertThat(refused.json().at("/error/code").asText()).isEqualTo("model_not_found");
      assertThat(refused.json().at("/error/message").asText()).contains("do not have access").doesNotContain("openai/gpt-4o is");
    }
  }
}
