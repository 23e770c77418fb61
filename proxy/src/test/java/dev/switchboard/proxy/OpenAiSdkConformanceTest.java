package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.NodeSdk;
import dev.switchboard.proxy.testing.TestPki;
import dev.switchboard.proxy.testing.TestProxy;
import dev.switchboard.proxy.testing.Wire;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official OpenAI SDK (npm openai) against a running proxy: completions, streams, models,
 * errors. The answering backend is the built-in mock, or an OpenAI-compatible upstream over plain
 * HTTP, or the same upstream behind TLS with a private CA (spec.tls.ca): the SDK cannot tell.
 */
class OpenAiSdkConformanceTest {
  private static final TestPki.Ca CA = TestPki.ca("Conformance Test CA");

  /** An OpenAI-compatible upstream: whole answers or streams (with the usage chunk when asked); model "broken" dies mid-stream. */
  private static FakeUpstream.Behaviour openAi(String content) {
    return (req, res, r) -> {
      if (r.body().contains("\"model\":\"broken\"")) {
        FakeUpstream.cutAfter(Wire.roleChunk(), Wire.chunk("half an ")).answer(req, res, r);
      } else if (r.body().contains("\"stream\":true")) {
        FakeUpstream.sse(Duration.ZERO, Wire.roleChunk(), Wire.chunk(content), Wire.chunk(" streamed"), Wire.finishChunk("stop"),
            Wire.usageChunk(12, 3), Wire.done()).answer(req, res, r);
      } else {
        FakeUpstream.completion(content).answer(req, res, r);
      }
    };
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"mock", "plain", "tls"})
  void theOfficialSdkWorksAgainstTheProxy(String backend) throws Exception {
    try (FakeUpstream upstream = backend.equals("tls") ? FakeUpstream.startTls(CA.server().serverTls()) : FakeUpstream.start();
         TestProxy proxy = TestProxy.start()) {
      upstream.then(openAi("hello over " + backend));
      String trust = backend.equals("tls") ? "\n  tls: {ca: {configMapRef: {name: upstream-ca, key: ca.crt}}}" : "";
      String chat = backend.equals("mock")
          ? "spec: {provider: mock, models: [{name: m}], mock: {chunkDelay: 5ms}}"
          : "spec:\n  provider: openai-compatible\n  url: " + upstream.url() + "/v1\n  models: [{name: m}, {name: broken}]" + trust;
      proxy.serve("""
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: upstream-ca}
          data:
            ca.crt: |
          %s
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: answering}
          %s
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: flaky}
          spec:
            provider: openai-compatible
            url: %s/v1
            models: [{name: broken}]%s
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: chat}
          spec: {model: chat, targets: [{backendRef: {name: answering}, model: m}]}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: broken}
          spec: {model: broken, targets: [{backendRef: {name: flaky}, model: broken}]}
          """.formatted(CA.pem().indent(4).stripTrailing(), chat, upstream.url(), trust));
      NodeSdk.Run run = NodeSdk.run(Map.of("BASE_URL", proxy.url() + "/v1", "MODEL", "chat", "BROKEN_STREAM_MODEL", "broken"));
      assertThat(run.lines()).as(run.stderr()).hasSize(8).allMatch(l -> l.contains("\"ok\":true"));
      assertThat(run.exitCode()).isZero();
      if (!backend.equals("mock")) {
        assertThat(run.lines().get(0)).contains("hello over " + backend);
        assertThat(upstream.received()).as("every check but the local errors reached the upstream").hasSizeGreaterThanOrEqualTo(5);
      }
    }
  }
}
