package dev.switchboard.proxy;

import static dev.switchboard.proxy.testing.FakeUpstream.completion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.TestProxy;
import dev.switchboard.proxy.testing.Wire;
import io.helidon.http.HeaderNames;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Suspending a backend or a target: no new requests (the route fails over), while a stream
 * already running on it finishes; resuming brings it back; everything suspended is the "no
 * healthy target" error, saying so.
 */
class SuspendTest {
  private static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private FakeUpstream primary;
  private FakeUpstream secondary;
  private TestProxy proxy;

  @BeforeEach
  void start() {
    primary = FakeUpstream.start();
    secondary = FakeUpstream.start();
    proxy = TestProxy.start(dev.switchboard.proxy.server.Settings.defaults().withAdminToken("admin"));
  }

  @AfterEach
  void stop() {
    proxy.close();
    primary.close();
    secondary.close();
  }

  private void serve(boolean primarySuspended, boolean secondarySuspended, boolean secondTargetSuspended) {
    proxy.serve("""
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: primary}
        spec: {provider: openai-compatible, url: %s/v1, models: [{name: m}], suspended: %s}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: secondary}
        spec: {provider: openai-compatible, url: %s/v1, models: [{name: m}], suspended: %s}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: chat}
        spec:
          model: chat
          targets:
            - {backendRef: {name: primary}, model: m, priority: 0}
            - {backendRef: {name: secondary}, model: m, priority: 1, suspended: %s}
        """.formatted(primary.url(), primarySuspended, secondary.url(), secondarySuspended, secondTargetSuspended));
  }

  @Test
  void aSuspendedBackendTakesNoNewRequestsWhileItsRunningStreamFinishes() throws Exception {
    serve(false, false, false);
    CountDownLatch resume = new CountDownLatch(1);
    primary.then((req, res, r) -> {
      res.status(200);
      res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
      OutputStream out = res.outputStream();
      for (String frame : new String[] {Wire.roleChunk(), Wire.chunk("before ")}) {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      assertThat(resume.await(10, TimeUnit.SECONDS)).isTrue();
      for (String frame : new String[] {Wire.chunk("and after"), Wire.finishChunk("stop"), Wire.done()}) {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      out.close();
    }, completion("primary again"));
    secondary.then(completion("from secondary"));
    CompletableFuture<TestProxy.Streamed> running = CompletableFuture.supplyAsync(
        () -> proxy.stream(CHAT.replace("{\"model\"", "{\"stream\":true,\"model\"")));
    await().atMost(Duration.ofSeconds(5)).until(() -> primary.hits() == 1);

    serve(true, false, false);
    TestProxy.Reply during = proxy.chat(CHAT);
    assertThat(during.status()).isEqualTo(200);
    assertThat(during.header("x-switchboard-backend")).as("failed over, as if ejected").isEqualTo("default/secondary");
    assertThat(primary.hits()).isEqualTo(1);
    TestProxy.Reply status = proxy.admin("GET", "/admin/status", null, "authorization", "Bearer admin");
    assertThat(status.json().at("/backends/0/suspended").asBoolean()).as(status.body()).isTrue();
    assertThat(status.json().at("/routes/0/targets/0/suspended").asBoolean()).isTrue();
    assertThat(proxy.admin("GET", "/metrics", null, "authorization", "Bearer admin").body()).containsPattern("switchboard_backend_suspended\\{backend=\"default/primary\".*} 1.0");

    resume.countDown();
    TestProxy.Streamed stream = running.get(10, TimeUnit.SECONDS);
    assertThat(stream.content()).as("the stream that was running finished").isEqualTo("before and after");
    assertThat(stream.data()).last().isEqualTo("[DONE]");

    serve(false, false, false);
    TestProxy.Reply after = proxy.chat(CHAT);
    assertThat(after.header("x-switchboard-backend")).as("resumed").isEqualTo("default/primary");
  }

  @Test
  void aSuspendedTargetIsSkippedAndEverythingSuspendedSaysSo() {
    primary.then(completion("primary"));
    secondary.then(completion("secondary"));
    serve(true, false, true);
    TestProxy.Reply none = proxy.chat(CHAT);
    assertThat(none.status()).isEqualTo(503);
    assertThat(none.json().at("/error/code").asText()).isEqualTo("no_healthy_target");
    assertThat(none.json().at("/error/message").asText())
        .contains("backend default/primary is suspended", "target default/secondary model m is suspended in the route");
    assertThat(primary.hits() + secondary.hits()).isZero();

    serve(false, false, true);
    assertThat(proxy.chat(CHAT).header("x-switchboard-backend")).isEqualTo("default/primary");
    serve(true, false, false);
    assertThat(proxy.chat(CHAT).header("x-switchboard-backend")).isEqualTo("default/secondary");
  }
}
