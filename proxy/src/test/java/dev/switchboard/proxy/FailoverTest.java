package dev.switchboard.proxy;

import static dev.switchboard.proxy.testing.FakeUpstream.completion;
import static dev.switchboard.proxy.testing.FakeUpstream.hang;
import static dev.switchboard.proxy.testing.FakeUpstream.json;
import static dev.switchboard.proxy.testing.FakeUpstream.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.TestProxy;
import dev.switchboard.proxy.testing.Wire;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries and failover before the first byte, and how each upstream failure reaches the client. */
class FailoverTest {
  private static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private FakeUpstream primary;
  private FakeUpstream secondary;
  private TestProxy proxy;

  @BeforeEach
  void start() {
    primary = FakeUpstream.start();
    secondary = FakeUpstream.start();
    proxy = TestProxy.start();
  }

  @AfterEach
  void stop() {
    proxy.close();
    primary.close();
    secondary.close();
  }

  private void serve(String primaryUrl, String retry, String timeouts) {
    proxy.serve("""
        apiVersion: v1
        kind: Secret
        metadata: {name: keys}
        stringData: {primary: sk-primary-0123456789abcdef, secondary: sk-secondary-key}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: primary}
        spec:
          provider: openai-compatible
          url: %s/v1
          credentials: {secretRef: {name: keys, key: primary}}
          models: [{name: m}]
          timeouts: %s
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: secondary}
        spec:
          provider: openai-compatible
          url: %s/v1
          credentials: {secretRef: {name: keys, key: secondary}}
          models: [{name: m}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: chat}
        spec:
          model: chat
          targets:
            - {backendRef: {name: primary}, model: m, priority: 0}
            - {backendRef: {name: secondary}, model: m, priority: 1}
          retry: %s
        """.formatted(primaryUrl, timeouts, secondary.url(), retry));
  }

  private void serve(String retry) {
    serve(primary.url(), retry, "{}");
  }

  @Test
  void aRefusedConnectionFailsOverToTheNextTarget() {
    serve("http://127.0.0.1:" + TestProxy.closedPort(), "{backoff: {base: 1ms, max: 5ms}}", "{connect: 1s}");
    secondary.then(completion("from secondary"));
    TestProxy.Reply reply = proxy.chat(CHAT);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().at("/choices/0/message/content").asText()).isEqualTo("from secondary");
    assertThat(reply.header("x-switchboard-backend")).isEqualTo("default/secondary");
    assertThat(reply.header("x-switchboard-attempts")).isEqualTo("2");
  }

  @Test
  void serverErrorsAreRetriedOnTheNextTarget() {
    serve("{backoff: {base: 1ms, max: 5ms}}");
    primary.then(json(500, Wire.error("boom", "server_error", "internal")));
    secondary.then(completion("ok"));
    TestProxy.Reply reply = proxy.chat(CHAT);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("x-switchboard-attempts")).isEqualTo("2");
    assertThat(primary.hits()).isEqualTo(1);
  }

  @Test
  void whenEveryTryFailsTheLastErrorIsMappedTo502() {
    serve("{attempts: 3, backoff: {base: 1ms, max: 5ms}}");
    primary.then(json(503, Wire.error("overloaded", "server_error", "overloaded")));
    secondary.then(json(502, Wire.error("bad gateway upstream", "server_error", "bad_gateway")));
    TestProxy.Reply reply = proxy.chat(CHAT);
    assertThat(reply.status()).isEqualTo(502);
    assertThat(reply.json().at("/error/type").asText()).isEqualTo("upstream_error");
    assertThat(reply.json().at("/error/message").asText()).contains("HTTP");
    assertThat(reply.header("x-switchboard-attempts")).isEqualTo("3");
    assertThat(primary.hits() + secondary.hits()).isEqualTo(3);
  }

  @Test
  void clientErrorsAreNotRetriedAndKeepTheirStatus() {
    serve("{backoff: {base: 1ms, max: 5ms}}");
    primary.then(json(400, "{\"error\":{\"message\":\"Invalid value for 'top_logprobs'\",\"type\":\"invalid_request_error\","
        + "\"param\":\"top_logprobs\",\"code\":\"invalid_value\"}}"));
    TestProxy.Reply reply = proxy.chat(CHAT);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().at("/error/param").asText()).isEqualTo("top_logprobs");
    assertThat(reply.json().at("/error/code").asText()).isEqualTo("invalid_value");
    assertThat(reply.json().at("/error/message").asText()).contains("Invalid value for 'top_logprobs'", "default/primary");
    assertThat(reply.header("x-switchboard-attempts")).isEqualTo("1");
    assertThat(secondary.hits()).isZero();
  }

  @Test
  void aRejectedUpstreamKeyIsA502WithTheKeyMasked() {
    serve("{attempts: 1}");
    primary.then(json(401, Wire.error("Incorrect API key provided: sk-primary-0123456789abcdef.", "invalid_request_error",
        "invalid_api_key")));
    TestProxy.Reply reply = proxy.chat(CHAT);
    assertThat(reply.status()).isEqualTo(502);
    assertThat(reply.json().at("/error/code").asText()).isEqualTo("upstream_auth_failed");
    assertThat(reply.body()).doesNotContain("sk-primary-0123456789abcdef").contains("****");
  }

  @Test
  void anHtmlErrorPageIsNeverPassedThrough() {
    serve("{attempts: 1}");
    primary.then(text(503, "text/html", "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"));
    TestProxy.Reply reply = proxy.chat(CHAT);
    assertThat(reply.status()).isEqualTo(502);
    assertThat(reply.header("content-type")).startsWith("application/json");
    assertThat(reply.body()).doesNotContain("<html>", "<h1>");
    assertThat(reply.json().at("/error/message").asText()).contains("503", "text/html");
  }

  @Test
  void rateLimitsHonourRetryAfterWithinTheBackoffCap() {
    primary.then(json(429, Wire.error("Rate limit reached", "requests", "rate_limit_exceeded"), "Retry-After", "1"),
        completion("after waiting"));
    // Only the primary: a second target would hide whether the wait happened.
    proxy.serve(routeTo("primary"));
    long start = System.nanoTime();
    TestProxy.Reply reply = proxy.chat(CHAT);
    long waited = (System.nanoTime() - start) / 1_000_000;
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().at("/choices/0/message/content").asText()).isEqualTo("after waiting");
    assertThat(waited).as("the Retry-After of 1s was honoured").isGreaterThanOrEqualTo(900);
  }

  @Test
  void aRetryAfterLongerThanTheCapGoesBackToTheClient() {
    // The route's backoff cap is 2s; waiting 30s is the client's decision, so it gets the 429.
    proxy.serve(routeTo("primary"));
    primary.then(json(429, Wire.error("Rate limit reached", "requests", "rate_limit_exceeded"), "Retry-After", "30"));
    TestProxy.Reply reply = proxy.chat(CHAT);
    assertThat(reply.status()).isEqualTo(429);
    assertThat(reply.header("retry-after")).isEqualTo("30");
    assertThat(reply.json().at("/error/type").asText()).isEqualTo("rate_limit_error");
    assertThat(primary.hits()).isEqualTo(1);
  }

  @Test
  void aHangPastTheRequestTimeoutIs504OrFailsOver() {
    serve(primary.url(), "{attempts: 1}", "{request: 300ms}");
    primary.then(hang(Duration.ofSeconds(3), completion("too late")));
    long start = System.nanoTime();
    TestProxy.Reply reply = proxy.chat(CHAT);
    assertThat(reply.status()).isEqualTo(504);
    assertThat(reply.json().at("/error/code").asText()).isEqualTo("upstream_timeout");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2500);

    serve(primary.url(), "{attempts: 2, backoff: {base: 1ms, max: 5ms}}", "{request: 300ms}");
    secondary.then(completion("rescued"));
    TestProxy.Reply rescued = proxy.chat(CHAT);
    assertThat(rescued.status()).isEqualTo(200);
    assertThat(rescued.header("x-switchboard-backend")).isEqualTo("default/secondary");
  }

  @Test
  void aBackendThatKeepsFailingIsEjectedAndSkipped() {
    serve("{attempts: 2, backoff: {base: 1ms, max: 5ms}}");
    primary.then(json(500, Wire.error("down", "server_error", "down")));
    secondary.then(completion("ok"));
    for (int i = 0; i < 3; i++) {
      assertThat(proxy.chat(CHAT).status()).isEqualTo(200);
    }
    assertThat(primary.hits()).isEqualTo(3);
    for (int i = 0; i < 5; i++) {
      TestProxy.Reply reply = proxy.chat(CHAT);
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.header("x-switchboard-attempts")).isEqualTo("1");
    }
    assertThat(primary.hits()).as("ejected after 3 failures in a row").isEqualTo(3);
  }

  private String routeTo(String backend) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: keys}
        stringData: {primary: sk-primary-0123456789abcdef}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: %1$s}
        spec:
          provider: openai-compatible
          url: %2$s/v1
          credentials: {secretRef: {name: keys, key: primary}}
          models: [{name: m}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: chat}
        spec:
          model: chat
          targets: [{backendRef: {name: %1$s}, model: m}]
          retry: {attempts: 2, backoff: {base: 1ms, max: 2s}}
        """.formatted(backend, primary.url());
  }
}
