package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.NodeSdk;
import dev.switchboard.proxy.testing.TestProxy;
import dev.switchboard.proxy.testing.Wire;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The official OpenAI SDK (npm openai) against a running proxy: completions, streams, models, errors. */
class OpenAiSdkConformanceTest {
  @Test
  void theOfficialSdkWorksAgainstTheProxy() throws Exception {
    try (FakeUpstream upstream = FakeUpstream.start(); TestProxy proxy = TestProxy.start()) {
      upstream.then(FakeUpstream.cutAfter(Wire.roleChunk(), Wire.chunk("half an ")));
      proxy.serve("""
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: mock}
          spec: {provider: mock, models: [{name: echo}], mock: {chunkDelay: 5ms}}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: flaky}
          spec: {provider: openai-compatible, url: %s/v1, models: [{name: m}]}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: chat}
          spec: {model: chat, targets: [{backendRef: {name: mock}, model: echo}]}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: broken}
          spec: {model: broken, targets: [{backendRef: {name: flaky}, model: m}]}
          """.formatted(upstream.url()));
      NodeSdk.Run run = NodeSdk.run(Map.of("BASE_URL", proxy.url() + "/v1", "MODEL", "chat", "BROKEN_STREAM_MODEL", "broken"));
      assertThat(run.lines()).as(run.stderr()).hasSize(8).allMatch(l -> l.contains("\"ok\":true"));
      assertThat(run.exitCode()).isZero();
    }
  }
}
