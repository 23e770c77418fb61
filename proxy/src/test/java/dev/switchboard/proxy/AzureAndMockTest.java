package dev.switchboard.proxy;

import static dev.switchboard.proxy.testing.FakeUpstream.completion;
import static dev.switchboard.proxy.testing.FakeUpstream.sse;
import static dev.switchboard.proxy.testing.FakeUpstream.streamOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.TestProxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AzureAndMockTest {
  private static String azure(String url, String apiVersion) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: azure}
        stringData: {key: azure-secret-key}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: azure}
        spec:
          provider: azure-openai
          url: %s
          credentials: {secretRef: {name: azure, key: key}}
          azure: {apiVersion: "%s", deployments: {gpt-4o: prod-4o, gpt-4o-mini: mini-east}}
          models: [{name: gpt-4o}, {name: gpt-4o-mini}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: mini}
        spec:
          model: mini
          targets: [{backendRef: {name: azure}, model: gpt-4o-mini}]
        """.formatted(url, apiVersion);
  }

  @Test
  void azureDeploymentUrlsCarryTheApiVersionAndTheApiKeyHeader() {
    try (FakeUpstream upstream = FakeUpstream.start(); TestProxy proxy = TestProxy.start()) {
      proxy.serve(azure(upstream.url(), "2024-10-21"));
      upstream.then(completion("from azure"), sse(Duration.ZERO, streamOf("streamed")));
      TestProxy.Reply reply = proxy.chat("{\"model\":\"mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      assertThat(reply.status()).isEqualTo(200);
      FakeUpstream.Received sent = upstream.last();
      assertThat(sent.path()).isEqualTo("/openai/deployments/mini-east/chat/completions");
      assertThat(sent.query()).isEqualTo("api-version=2024-10-21");
      assertThat(sent.header("api-key")).isEqualTo("azure-secret-key");
      assertThat(sent.header("authorization")).isEmpty();
      assertThat(sent.body()).contains("\"model\":\"mini-east\"");

      TestProxy.Streamed s = proxy.stream("{\"model\":\"mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      assertThat(s.content()).isEqualTo("streamed");
    }
  }

  @Test
  void probesTheResourceAndReportsTheSpecsDeployments() {
    try (FakeUpstream upstream = FakeUpstream.start(); TestProxy proxy = TestProxy.start()) {
      proxy.serve(azure(upstream.url(), "2024-10-21"));
      upstream.then(FakeUpstream.json(200, "{\"data\":[{\"id\":\"gpt-4o-2024-08-06\"},{\"id\":\"dall-e-3\"}],\"object\":\"list\"}"));
      var results = proxy.context().prober().probeNow(proxy.context().holder().current().orElseThrow().backends().values());
      assertThat(upstream.last().path()).isEqualTo("/openai/models");
      assertThat(upstream.last().query()).isEqualTo("api-version=2024-10-21");
      assertThat(upstream.last().header("api-key")).isEqualTo("azure-secret-key");
      assertThat(results.get("default/azure").models()).containsExactly("prod-4o", "mini-east");
    }
  }

  @Test
  void theVersionlessV1ApiUsesItsOwnPath() {
    try (FakeUpstream upstream = FakeUpstream.start(); TestProxy proxy = TestProxy.start()) {
      proxy.serve(azure(upstream.url(), "v1"));
      upstream.then(completion("v1"));
      proxy.chat("{\"model\":\"mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      assertThat(upstream.last().path()).isEqualTo("/openai/v1/chat/completions");
      assertThat(upstream.last().query()).isEmpty();
      assertThat(upstream.last().body()).contains("\"model\":\"mini-east\"");
    }
  }

  @Test
  void theMockEchoesPacesAndInjectsFailures() {
    try (TestProxy proxy = TestProxy.start()) {
      proxy.serve("""
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: mock}
          spec:
            provider: mock
            models: [{name: echo}]
            mock: {chunkDelay: 50ms}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: broken}
          spec:
            provider: mock
            models: [{name: echo}]
            mock: {failurePercent: 100, failureStatus: 503}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: echo}
          spec:
            model: echo
            targets: [{backendRef: {name: mock}}]
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: broken}
          spec:
            model: broken
            targets: [{backendRef: {name: broken}, model: echo}]
            retry: {attempts: 2, backoff: {base: 1ms, max: 2ms}}
          """);
      TestProxy.Reply reply = proxy.chat("""
          {"model":"echo","messages":[{"role":"system","content":"be brief"},
           {"role":"user","content":[{"type":"text","text":"echo"},{"type":"text","text":"this back"}]}]}""");
      assertThat(reply.json().at("/choices/0/message/content").asText()).isEqualTo("echo this back");
      assertThat(reply.json().at("/usage/completion_tokens").asInt()).isEqualTo(3);

      TestProxy.Reply limited = proxy.chat("{\"model\":\"echo\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"one two three four\"}]}");
      assertThat(limited.json().at("/choices/0/message/content").asText()).isEqualTo("one two ");
      assertThat(limited.json().at("/choices/0/finish_reason").asText()).isEqualTo("length");

      TestProxy.Streamed s = proxy.stream("{\"model\":\"echo\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"a b c\"}]}");
      assertThat(s.content()).isEqualTo("a b c");
      assertThat(s.data()).anyMatch(d -> d.contains("\"usage\""));
      // Three words, each after a 50 ms chunkDelay. Time from the request to the last word cannot be
      // shortened by delivery jitter; the gap between the first and last word can, by a late first
      // read, so it only has to show the words were not sent together.
      long toLastWord = (s.events().get(3).atNanos() - s.startNanos()) / 1_000_000;
      long firstToLast = (s.events().get(3).atNanos() - s.events().get(1).atNanos()) / 1_000_000;
      assertThat(toLastWord).as("three words paced by chunkDelay").isGreaterThanOrEqualTo(150);
      assertThat(firstToLast).as("words sent apart, not together").isGreaterThanOrEqualTo(50);

      TestProxy.Reply failed = proxy.chat("{\"model\":\"broken\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
      assertThat(failed.status()).isEqualTo(502);
      assertThat(failed.header("x-switchboard-attempts")).isEqualTo("2");
      assertThat(failed.json().at("/error/message").asText()).contains("injected", "default/broken");

      TestProxy.Reply many = proxy.chat("{\"model\":\"echo\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
      assertThat(many.status()).isEqualTo(400);
      assertThat(many.json().at("/error/param").asText()).isEqualTo("n");
    }
  }
}
