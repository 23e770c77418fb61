package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.config.RoutingConfig;
import dev.switchboard.config.RoutingConfigJson;
import dev.switchboard.proxy.probe.BackendProber;
import dev.switchboard.proxy.routing.BackendState;
import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.server.SnapshotLoader;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.TestProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cluster mode's cold start from a snapshot, background probing on schedule, and backend limits. */
class ClusterModeTest {
  private static String mock(String model) {
    return """
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: mock}
        spec: {provider: mock, models: [{name: echo}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: r}
        spec: {model: %s, targets: [{backendRef: {name: mock}, model: echo}]}
        """.formatted(model);
  }

  private static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  @Test
  void servesTheSnapshotAndFollowsItButIgnoresABrokenOne(@TempDir Path dir) throws Exception {
    Path snapshot = dir.resolve("config.json");
    try (TestProxy proxy = TestProxy.start(Settings.defaults().withAdminToken("t"));
         SnapshotLoader loader = new SnapshotLoader(snapshot, proxy.context().holder())) {
      loader.load();
      assertThat(proxy.context().holder().current()).as("no file yet: wait for a push").isEmpty();

      Files.write(snapshot, RoutingConfigJson.write(TestProxy.compile(mock("from-snapshot"))));
      loader.load();
      assertThat(proxy.chat(chat("from-snapshot")).status()).isEqualTo(200);

      loader.watch(50);
      Files.write(snapshot, RoutingConfigJson.write(TestProxy.compile(mock("updated"))));
      await().atMost(Duration.ofSeconds(10)).until(() -> proxy.chat(chat("updated")).status() == 200);

      // The operator writes the snapshot gzipped.
      java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
        out.write(RoutingConfigJson.write(TestProxy.compile(mock("gzipped"))));
      }
      Files.write(snapshot, gz.toByteArray());
      await().atMost(Duration.ofSeconds(10)).until(() -> proxy.chat(chat("gzipped")).status() == 200);

      Files.writeString(snapshot, "{not json");
      RoutingConfig current = proxy.context().holder().current().orElseThrow().config();
      loader.load();
      assertThat(proxy.context().holder().current().orElseThrow().config()).isEqualTo(current);
    }
  }

  @Test
  void probesRunOnTheirIntervalWithoutBeingAsked() {
    try (FakeUpstream upstream = FakeUpstream.start(); TestProxy proxy = TestProxy.start();
         BackendProber prober = new BackendProber(true)) {
      upstream.then(FakeUpstream.json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"m\"}]}"));
      proxy.serve("""
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: probed}
          spec:
            provider: openai-compatible
            url: %s/v1
            models: [{name: m}]
            healthCheck: {interval: 200ms, timeout: 1s}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: quiet}
          spec:
            provider: openai-compatible
            url: %s/v1
            models: [{name: m}]
            healthCheck: {enabled: false}
          """.formatted(upstream.url(), upstream.url()));
      prober.configure(proxy.context().holder().current().orElseThrow());
      BackendState probed = proxy.context().holder().current().orElseThrow().backends().get("default/probed");
      BackendState quiet = proxy.context().holder().current().orElseThrow().backends().get("default/quiet");
      await().atMost(Duration.ofSeconds(10)).until(() -> upstream.hits() >= 3);
      assertThat(probed.probe().reachable()).isTrue();
      assertThat(probed.probe().models()).containsExactly("m");
      assertThat(quiet.probe()).as("health checks disabled").isNull();
    }
  }

  @Test
  void backendLimitsAnswer429WithRetryAfter() {
    try (TestProxy proxy = TestProxy.start()) {
      proxy.serve(mock("limited").replace("spec: {provider: mock, models: [{name: echo}]}",
          "spec: {provider: mock, models: [{name: echo}], limits: {requestsPerMinute: 2}}"));
      assertThat(proxy.chat(chat("limited")).status()).isEqualTo(200);
      assertThat(proxy.chat(chat("limited")).status()).isEqualTo(200);
      TestProxy.Reply limited = proxy.chat(chat("limited"));
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.json().at("/error/type").asText()).isEqualTo("rate_limit_error");
      assertThat(limited.json().at("/error/message").asText()).contains("default/mock");
      assertThat(Integer.parseInt(limited.header("retry-after"))).isBetween(1, 31);
    }
  }
}
