package dev.switchboard.proxy;

import static dev.switchboard.proxy.testing.FakeUpstream.json;
import static dev.switchboard.proxy.testing.FakeUpstream.sse;
import static dev.switchboard.proxy.testing.FakeUpstream.streamOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.config.RoutingConfig;
import dev.switchboard.config.RoutingConfigJson;
import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.TestProxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminApiTest {
  private static final String TOKEN = "admin-token-for-tests";
  private FakeUpstream upstream;
  private TestProxy proxy;

  @BeforeEach
  void start() {
    upstream = FakeUpstream.start();
    proxy = TestProxy.start(Settings.defaults().withAdminToken(TOKEN));
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
  }

  private String manifests(String routeModel, String upstreamUrl) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: keys}
        stringData: {k: sk-admin-test-secret-value}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: llm}
        spec:
          provider: openai-compatible
          url: %s/v1
          credentials: {secretRef: {name: keys, key: k}}
          models: [{name: m}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: r}
        spec: {model: %s, targets: [{backendRef: {name: llm}, model: m}]}
        """.formatted(upstreamUrl, routeModel);
  }

  private TestProxy.Reply push(RoutingConfig config, String token) {
    return proxy.admin("PUT", "/admin/config", new String(RoutingConfigJson.write(config), StandardCharsets.UTF_8),
        "Authorization", "Bearer " + token);
  }

  @Test
  void readinessFollowsTheConfigAndHealthIsAlwaysUp() {
    assertThat(proxy.admin("GET", "/healthz", null).status()).isEqualTo(200);
    assertThat(proxy.admin("GET", "/readyz", null).status()).isEqualTo(503);
    assertThat(proxy.chat("{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").json()
        .at("/error/code").asText()).isEqualTo("not_ready");
    RoutingConfig config = TestProxy.compile(manifests("chat", upstream.url()));
    TestProxy.Reply pushed = push(config, TOKEN);
    assertThat(pushed.status()).isEqualTo(200);
    assertThat(pushed.json().get("applied").asBoolean()).isTrue();
    assertThat(pushed.json().get("version").asText()).isEqualTo(config.version());
    TestProxy.Reply ready = proxy.admin("GET", "/readyz", null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("version").asText()).isEqualTo(config.version());
    assertThat(push(config, TOKEN).json().get("applied").asBoolean()).as("the same version again changes nothing").isFalse();
  }

  @Test
  void pushesNeedTheTokenAndBadConfigsAreRefusedWhole() {
    RoutingConfig config = TestProxy.compile(manifests("chat", upstream.url()));
    assertThat(push(config, "wrong").status()).isEqualTo(401);
    assertThat(proxy.admin("PUT", "/admin/config", "{}").status()).isEqualTo(401);
    assertThat(proxy.admin("GET", "/admin/status", null).status()).isEqualTo(401);

    TestProxy.Reply garbage = proxy.admin("PUT", "/admin/config", "{\"backends\":[{\"apiKey\":{\"nested\":\"sk-do-not-echo\"}}]}",
        "Authorization", "Bearer " + TOKEN);
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(garbage.body()).doesNotContain("sk-do-not-echo").contains("backends[0].apiKey");

    RoutingConfig tampered = new RoutingConfig(config.version(), config.backends(), config.routes().subList(0, 0));
    TestProxy.Reply refused = push(tampered, TOKEN);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("problems").toString()).contains("does not match the content");
    assertThat(proxy.admin("GET", "/readyz", null).status()).as("nothing of a refused config is served").isEqualTo(503);
  }

  @Test
  void statusReportsProbesAndOnDemandProbesRunAtOnce() {
    upstream.then(json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"m\",\"object\":\"model\"},{\"id\":\"m-large\",\"object\":\"model\"}]}"));
    push(TestProxy.compile(manifests("chat", upstream.url())), TOKEN);
    TestProxy.Reply probed = proxy.admin("POST", "/admin/probe", "{\"backends\":[\"default/llm\"]}", "Authorization", "Bearer " + TOKEN);
    assertThat(probed.status()).isEqualTo(200);
    JsonNode backend = probed.json().at("/backends/0");
    assertThat(backend.get("reachable").asBoolean()).isTrue();
    assertThat(backend.get("discoveredModels").toString()).isEqualTo("[\"m\",\"m-large\"]");
    assertThat(upstream.last().path()).isEqualTo("/v1/models");
    assertThat(upstream.last().header("authorization")).isEqualTo("Bearer sk-admin-test-secret-value");

    TestProxy.Reply status = proxy.admin("GET", "/admin/status", null, "Authorization", "Bearer " + TOKEN);
    assertThat(status.json().get("mode").asText()).isEqualTo("cluster");
    assertThat(status.json().at("/backends/0/id").asText()).isEqualTo("default/llm");
    assertThat(status.json().at("/backends/0/circuit").asText()).isEqualTo("closed");
    assertThat(status.json().at("/routes/0/model").asText()).isEqualTo("chat");
    assertThat(status.body()).doesNotContain("sk-admin-test-secret-value");

    upstream.then(json(401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-admin-test-secret-value\"}}"));
    JsonNode unauthorized = proxy.admin("POST", "/admin/probe", "", "Authorization", "Bearer " + TOKEN).json().at("/backends/0");
    assertThat(unauthorized.get("reachable").asBoolean()).isFalse();
    assertThat(unauthorized.get("reason").asText()).isEqualTo("Unauthorized");
    assertThat(unauthorized.get("lastError").asText()).doesNotContain("sk-admin-test-secret-value").contains("****");

    push(TestProxy.compile(manifests("chat", "http://127.0.0.1:" + TestProxy.closedPort())), TOKEN);
    JsonNode down = proxy.admin("POST", "/admin/probe", null, "Authorization", "Bearer " + TOKEN).json().at("/backends/0");
    assertThat(down.get("reachable").asBoolean()).isFalse();
    assertThat(down.get("reason").asText()).isEqualTo("Unreachable");
    assertThat(down.get("lastError").asText()).contains("connection refused");
  }

  @Test
  void metricsCountRequestsWithBoundedLabels() {
    push(TestProxy.compile(manifests("chat", upstream.url())), TOKEN);
    upstream.then(FakeUpstream.completion("hi"));
    proxy.chat("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    proxy.chat("{\"model\":\"made-up-by-a-client\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    String metrics = proxy.admin("GET", "/metrics", null).body();
    assertThat(metrics).contains("switchboard_requests_total{backend=\"default/llm\",client=\"none\",route=\"default/r\",status=\"200\",surface=\"openai\"} 1.0");
    assertThat(metrics).contains("switchboard_requests_total{backend=\"none\",client=\"none\",route=\"none\",status=\"404\",surface=\"openai\"} 1.0");
    assertThat(metrics).contains("switchboard_tokens_total{backend=\"default/llm\",route=\"default/r\",type=\"completion\"} 5.0");
    assertThat(metrics).contains("switchboard_request_duration_seconds_bucket", "switchboard_config_loaded 1.0");
    assertThat(metrics).doesNotContain("made-up-by-a-client", "sk-admin-test-secret-value");
  }

  @Test
  void requestsInFlightFinishOnTheConfigTheyStartedWith() throws Exception {
    push(TestProxy.compile(manifests("chat", upstream.url())), TOKEN);
    upstream.then(sse(Duration.ofMillis(200), streamOf("slow", " but", " whole")));
    CompletableFuture<TestProxy.Streamed> inFlight = CompletableFuture.supplyAsync(() ->
        proxy.stream("{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> upstream.hits() == 1);
    assertThat(push(TestProxy.compile(manifests("renamed", upstream.url())), TOKEN).status()).isEqualTo(200);
    TestProxy.Streamed s = inFlight.get();
    assertThat(s.content()).isEqualTo("slow but whole");
    assertThat(s.data()).last().isEqualTo("[DONE]");
    assertThat(proxy.chat("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").status()).isEqualTo(404);
  }
}
