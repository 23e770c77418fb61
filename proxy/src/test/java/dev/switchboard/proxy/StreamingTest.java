package dev.switchboard.proxy;

import static dev.switchboard.proxy.testing.FakeUpstream.cutAfter;
import static dev.switchboard.proxy.testing.FakeUpstream.endlessStream;
import static dev.switchboard.proxy.testing.FakeUpstream.sse;
import static dev.switchboard.proxy.testing.FakeUpstream.sseThenSilence;
import static dev.switchboard.proxy.testing.FakeUpstream.streamOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.TestPki;
import dev.switchboard.proxy.testing.TestProxy;
import dev.switchboard.proxy.testing.Wire;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming contract: chunks forwarded as they arrive; failover only before the first byte;
 * after it, a failure ends the stream with an OpenAI error event and no [DONE]. Each holds with
 * upstreams over plain HTTP and over TLS (a private CA trusted through spec.tls.ca).
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"plain", "tls"})
class StreamingTest {
  private static final TestPki.Ca CA = TestPki.ca("Streaming Test CA");
  @Parameter
  String transport;
  private static final String STREAM = "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final ObjectMapper JSON = new ObjectMapper();
  private FakeUpstream primary;
  private FakeUpstream secondary;
  private TestProxy proxy;

  @BeforeEach
  void start() {
    boolean tls = transport.equals("tls");
    primary = tls ? FakeUpstream.startTls(CA.server().serverTls()) : FakeUpstream.start();
    secondary = tls ? FakeUpstream.startTls(CA.server().serverTls()) : FakeUpstream.start();
    String trust = tls ? "  tls: {ca: {configMapRef: {name: upstream-ca, key: ca.crt}}}\n" : "";
    proxy = TestProxy.start();
    proxy.serve((tls ? "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: upstream-ca}\ndata:\n  ca.crt: |\n" + CA.pem().indent(4) + "---\n" : "") + """
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: primary}
        spec:
          provider: openai-compatible
          url: %s/v1
          models: [{name: m}]
          timeouts: {streamIdle: 400ms}
        %s---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: secondary}
        spec:
          provider: openai-compatible
          url: %s/v1
          models: [{name: m}]
        %s---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: chat}
        spec:
          model: chat
          targets:
            - {backendRef: {name: primary}, model: m, priority: 0}
            - {backendRef: {name: secondary}, model: m, priority: 1}
          retry: {attempts: 2, backoff: {base: 1ms, max: 5ms}}
        """.formatted(primary.url(), trust, secondary.url(), trust));
  }

  @AfterEach
  void stop() {
    proxy.close();
    primary.close();
    secondary.close();
  }

  @Test
  void aStreamCutAfterTheFirstByteEndsWithAnErrorEventAndNoDone() throws Exception {
    primary.then(cutAfter(Wire.roleChunk(), Wire.chunk("partial ")));
    TestProxy.Streamed s = proxy.stream(STREAM);
    assertThat(s.status()).isEqualTo(200);
    assertThat(s.content()).isEqualTo("partial ");
    assertThat(s.data()).doesNotContain("[DONE]");
    String last = s.data().get(s.data().size() - 1);
    assertThat(JSON.readTree(last).at("/error/type").asText()).isEqualTo("upstream_error");
    assertThat(JSON.readTree(last).at("/error/message").asText()).contains("default/primary");
    assertThat(secondary.hits()).as("no failover once the client has bytes").isZero();
  }

  @Test
  void aStreamThatFailsBeforeItsFirstEventFailsOver() {
    primary.then(cutAfter());
    secondary.then(sse(Duration.ZERO, streamOf("rescued")));
    TestProxy.Streamed s = proxy.stream(STREAM);
    assertThat(s.status()).isEqualTo(200);
    assertThat(s.content()).isEqualTo("rescued");
    assertThat(s.data()).last().isEqualTo("[DONE]");
    assertThat(s.header("x-switchboard-backend")).isEqualTo("default/secondary");
    assertThat(s.header("x-switchboard-attempts")).isEqualTo("2");
  }

  @Test
  void anErrorStatusBeforeStreamingFailsOverToo() {
    primary.then(FakeUpstream.json(503, Wire.error("busy", "server_error", "busy")));
    secondary.then(sse(Duration.ZERO, streamOf("ok")));
    TestProxy.Streamed s = proxy.stream(STREAM);
    assertThat(s.content()).isEqualTo("ok");
  }

  @Test
  void chunksArriveAsTheUpstreamSendsThemNotBuffered() {
    List<String> frames = streamOf("one ", "two ", "three ", "four ", "five");
    List<Long> writeStarts = new java.util.concurrent.CopyOnWriteArrayList<>();
    primary.then(sse(Duration.ofMillis(150), frames, writeStarts));
    TestProxy.Streamed s = proxy.stream(STREAM);
    assertThat(s.content()).isEqualTo("one two three four five");
    long first = (s.events().get(0).atNanos() - s.startNanos()) / 1_000_000;
    long last = (s.events().get(s.events().size() - 1).atNanos() - s.startNanos()) / 1_000_000;
    // The upstream needs 8 x 150 ms for the whole stream; the first chunk must not wait for it.
    assertThat(last).isGreaterThanOrEqualTo(1000);
    assertThat(first).isLessThan(last - 700);
    // Each event reached the client before the upstream began writing the next frame, 150 ms
    // later: nothing was held back to be sent with what followed. (Upstream and client clocks are
    // this JVM's nanoTime; a late read can only make this fail, never pass.)
    for (int k = 0; k < 7; k++) {
      assertThat(s.events().get(k).atNanos()).as("event " + k + " arrived before frame " + (k + 1) + " was written")
          .isLessThan(writeStarts.get(k + 1));
    }
  }

  @Test
  void silenceLongerThanTheStreamIdleTimeoutEndsTheStreamWithATimeoutError() throws Exception {
    primary.then(sseThenSilence(Duration.ofSeconds(3), primary, Wire.roleChunk(), Wire.chunk("thinking ")));
    TestProxy.Streamed s = proxy.stream(STREAM);
    assertThat(s.content()).isEqualTo("thinking ");
    assertThat(s.data()).doesNotContain("[DONE]");
    String last = s.data().get(s.data().size() - 1);
    assertThat(JSON.readTree(last).at("/error/code").asText()).isEqualTo("upstream_timeout");
  }

  @Test
  void anInBandErrorFromTheUpstreamIsForwardedAsTheLastEvent() throws Exception {
    primary.then(sse(Duration.ZERO, Wire.roleChunk(), Wire.chunk("a"),
        "data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"code\":\"server_error\"}}\n\n"));
    TestProxy.Streamed s = proxy.stream(STREAM);
    assertThat(s.content()).isEqualTo("a");
    assertThat(s.data()).doesNotContain("[DONE]");
    assertThat(JSON.readTree(s.data().get(s.data().size() - 1)).at("/error/message").asText()).contains("The server had an error");
  }

  @Test
  void aStreamEndingWithoutDoneAfterItsFinishReasonIsComplete() {
    primary.then(sse(Duration.ZERO, Wire.roleChunk(), Wire.chunk("done"), Wire.finishChunk("stop")));
    TestProxy.Streamed s = proxy.stream(STREAM);
    assertThat(s.content()).isEqualTo("done");
    assertThat(s.data()).last().isEqualTo("[DONE]");
  }

  @Test
  void aStreamEndingWithoutFinishReasonOrDoneIsReportedAsTruncated() throws Exception {
    primary.then(sse(Duration.ZERO, Wire.roleChunk(), Wire.chunk("half")));
    TestProxy.Streamed s = proxy.stream(STREAM);
    assertThat(s.content()).isEqualTo("half");
    assertThat(s.data()).doesNotContain("[DONE]");
    assertThat(JSON.readTree(s.data().get(s.data().size() - 1)).at("/error/message").asText())
        .contains("ended the stream before the answer was complete");
  }

  @Test
  void aClientThatHangsUpCancelsTheUpstreamRequest() {
    primary.then(endlessStream(Duration.ofMillis(20), primary));
    TestProxy.Streamed s = proxy.stream(STREAM, 3);
    assertThat(s.events()).hasSize(3);
    await().atMost(Duration.ofSeconds(10)).until(() -> primary.events().contains("client went away"));
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.accessLog().stream().anyMatch(l -> l.contains("\"status\":499")));
  }
}
