package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.testing.TestProxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Browser apps on the public API: preflights answered for the allowed origins only, the
 * Access-Control headers on answers, streams and errors, and a ClientKey's allowedOrigins checked
 * on the real request.
 */
class CorsTest {
  private static final String APP = "http://app.test:3000";
  private static final String MANIFESTS = """
      apiVersion: v1
      kind: Secret
      metadata: {name: keys}
      stringData: {web: sk-sb-web, anywhere: sk-sb-anywhere}
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
      metadata: {name: web}
      spec: {secretRef: {name: keys, key: web}, allowedOrigins: ["http://other.test"]}
      ---
      apiVersion: switchboard.dev/v1alpha1
      kind: ClientKey
      metadata: {name: anywhere}
      spec: {secretRef: {name: keys, key: anywhere}}
      """;
  private static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private static TestProxy.Reply preflight(TestProxy proxy, String origin) {
    return proxy.send("OPTIONS", proxy.url() + "/v1/chat/completions", null, "origin", origin, "access-control-request-method", "POST",
        "access-control-request-headers", "authorization,content-type,x-stainless-os,anthropic-version,openai-project");
  }

  @Test
  void allowedOriginsGetPreflightsAndHeadersOnAnswersStreamsAndErrors() {
    try (TestProxy proxy = TestProxy.start(Settings.defaults().withCorsOrigins(List.of(APP)))) {
      proxy.serve(MANIFESTS);
      TestProxy.Reply pre = preflight(proxy, APP);
      assertThat(pre.status()).isEqualTo(200);
      assertThat(pre.header("access-control-allow-origin")).isEqualTo(APP);
      assertThat(pre.header("access-control-allow-headers").toLowerCase())
          .contains("authorization", "content-type", "x-stainless-os", "anthropic-version", "openai-project");
      assertThat(pre.header("access-control-allow-methods")).contains("POST");

      TestProxy.Reply refused = preflight(proxy, "http://evil.test");
      assertThat(refused.header("access-control-allow-origin")).as("an origin not allowed gets no CORS grant").isEmpty();
      assertThat(refused.status()).isEqualTo(403);

      TestProxy.Reply answer = proxy.chat(CHAT, "origin", APP, "authorization", "Bearer sk-sb-anywhere");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.header("access-control-allow-origin")).isEqualTo(APP);
      assertThat(answer.header("access-control-expose-headers").toLowerCase()).contains("retry-after", "x-request-id", "x-switchboard-backend");

      TestProxy.Streamed stream = proxy.stream(CHAT.replace("{\"model\"", "{\"stream\":true,\"model\""), "origin", APP,
          "authorization", "Bearer sk-sb-anywhere");
      assertThat(stream.header("access-control-allow-origin")).isEqualTo(APP);

      TestProxy.Reply unknown = proxy.chat(CHAT.replace("\"chat\"", "\"nope\""), "origin", APP, "authorization", "Bearer sk-sb-anywhere");
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.header("access-control-allow-origin")).as("errors carry the grant, so the page reads the error").isEqualTo(APP);
      TestProxy.Reply noKey = proxy.chat(CHAT, "origin", APP);
      assertThat(noKey.status()).isEqualTo(401);
      assertThat(noKey.header("access-control-allow-origin")).isEqualTo(APP);

      TestProxy.Reply narrowed = proxy.chat(CHAT, "origin", APP, "authorization", "Bearer sk-sb-web");
      assertThat(narrowed.status()).isEqualTo(403);
      assertThat(narrowed.json().at("/error/code").asText()).isEqualTo("origin_not_allowed");
      assertThat(narrowed.json().at("/error/message").asText()).contains(APP, "default/web");
      assertThat(narrowed.header("access-control-allow-origin")).isEqualTo(APP);
      assertThat(proxy.chat(CHAT, "authorization", "Bearer sk-sb-web").status()).as("no Origin: not a browser, not narrowed").isEqualTo(200);
    }
  }

  @Test
  void withoutCorsOriginsNoBrowserPageIsGranted() {
    try (TestProxy proxy = TestProxy.start()) {
      proxy.serve(MANIFESTS);
      assertThat(preflight(proxy, APP).header("access-control-allow-origin")).isEmpty();
      assertThat(proxy.chat(CHAT, "origin", APP, "authorization", "Bearer sk-sb-anywhere").header("access-control-allow-origin")).isEmpty();
    }
  }
}
