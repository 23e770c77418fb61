package dev.switchboard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.api.v1alpha1.ChatBackend;
import dev.switchboard.api.v1alpha1.Condition;
import dev.switchboard.operator.status.Conditions;
import dev.switchboard.proxy.observe.AccessLog;
import dev.switchboard.proxy.server.ProxyServer;
import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.TestProxy;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole system on loopback: the mock API server, the operator, two real proxies registered as
 * proxy Pods, and a fake provider.
 */
@EnableKubernetesMockClient(crud = true)
class EndToEndTest {
  KubernetesClient client;
  private final HttpClient http = HttpClient.newHttpClient();
  private FakeUpstream upstream;
  private ProxyServer proxyA;
  private ProxyServer proxyB;
  private SwitchboardOperator operator;

  @AfterEach
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {operator, proxyA, proxyB, upstream}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // already stopped by the test
      }
    }
  }

  private static ProxyServer proxy(int port, int adminPort) {
    Settings settings = Settings.defaults().withAdminToken(OperatorHarness.TOKEN);
    return ProxyServer.start("127.0.0.1", port, adminPort, ProxyServer.context(settings, AccessLog.to(line -> {}), true));
  }

  private void register(String name, int adminPort) {
    Pod pod = new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(OperatorHarness.PROXY_NAMESPACE).withUid(name + "-uid")
          .addToLabels("app.kubernetes.io/name", "switchboard").addToLabels("app.kubernetes.io/component", "proxy")
        .endMetadata()
        .withNewSpec().addNewContainer().withName("proxy").withImage("switchboard-proxy")
          .addNewPort().withName("http").withContainerPort(8080).endPort()
          .addNewPort().withName("admin").withContainerPort(adminPort).endPort()
        .endContainer().endSpec()
        .withNewStatus().withPhase("Running").withPodIP("127.0.0.1").endStatus()
        .build();
    client.pods().inNamespace(OperatorHarness.PROXY_NAMESPACE).resource(pod).create();
  }

  private int chat(ProxyServer proxy, String model) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/v1/chat/completions"))
          .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private Condition reachable(String backend) {
    ChatBackend b = OperatorHarness.backend(client, "default", backend);
    return b == null || b.getStatus() == null ? null : Conditions.find(b.getStatus().conditions(), "Reachable").orElse(null);
  }

  private boolean reachableIs(String backend, String status) {
    Condition c = reachable(backend);
    return c != null && status.equals(c.status());
  }

  private static String manifests(String upstreamUrl, String aliases) {
    return """
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: fast}
        spec:
          provider: openai-compatible
          url: %1$s/v1
          models: [{name: m}]
          healthCheck: {interval: 300ms, timeout: 1s}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: slow}
        spec:
          provider: openai-compatible
          url: %1$s/v1
          models: [{name: m}]
          healthCheck: {interval: 1h, timeout: 1s}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: chat}
        spec:
          model: chat
          aliases: [%2$s]
          targets: [{backendRef: {name: fast}, model: m}]
          retry: {attempts: 1}
        """.formatted(upstreamUrl, aliases);
  }

  @Test
  void resourcesBecomeServedConfigAndProxiesBecomeStatus() {
    upstream = FakeUpstream.start();
    int upstreamPort = upstream.port();
    serveCompletions(upstream);
    int portB = TestProxy.closedPort();
    int adminB = TestProxy.closedPort();
    proxyA = proxy(0, 0);
    proxyB = proxy(portB, adminB);
    register("proxy-a", proxyA.adminPort());
    register("proxy-b", adminB);
    operator = OperatorHarness.start(client);
    OperatorHarness.apply(client, manifests(upstream.url(), "first"));

    // Both proxies get the config and serve it.
    await().atMost(Duration.ofSeconds(20)).until(() -> chat(proxyA, "first") == 200 && chat(proxyB, "first") == 200);

    // Status shows what both proxies' probes see.
    // Reachable turns True with the first proxy's report; the second's follows on its next poll.
    await().atMost(Duration.ofSeconds(20)).until(() -> reachableIs("fast", "True")
        && reachable("fast").message().startsWith("reachable from 2 of 2 proxies"));
    ChatBackend fast = OperatorHarness.backend(client, "default", "fast");
    assertThat(fast.getStatus().connectivity().reachableProxies()).isEqualTo(2);
    assertThat(fast.getStatus().discoveredModels()).containsExactly("m");
    await().atMost(Duration.ofSeconds(20)).until(() -> reachableIs("slow", "True"));

    // An edit reaches both proxies within seconds.
    OperatorHarness.apply(client, manifests(upstream.url(), "second"));
    await().atMost(Duration.ofSeconds(10)).until(() -> chat(proxyA, "second") == 200 && chat(proxyB, "second") == 200);
    assertThat(chat(proxyA, "first")).isEqualTo(404);
    assertThat(operator.fleet().versions()).hasSize(2);

    // The upstream goes away: the often-probed backend becomes unreachable, the other only when asked.
    upstream.close();
    await().atMost(Duration.ofSeconds(20)).until(() -> reachableIs("fast", "False")
        && reachable("fast").message().contains("reachable from 0 of 2 proxies"));
    assertThat(reachable("fast").reason()).isEqualTo("Unreachable");
    assertThat(reachable("fast").message()).contains("reachable from 0 of 2 proxies", "connection refused");
    assertThat(reachableIs("slow", "True")).as("probed hourly, not yet noticed: " + reachable("slow")).isTrue();
    String request = Instant.now().toString();
    ChatBackend slow = OperatorHarness.backend(client, "default", "slow");
    slow.getMetadata().setAnnotations(Map.of("switchboard.dev/check-now", request));
    client.resource(slow).update();
    await().atMost(Duration.ofSeconds(10)).until(() -> reachableIs("slow", "False"));
    assertThat(OperatorHarness.backend(client, "default", "slow").getStatus().checkRequest()).isEqualTo(request);

    // It comes back, and so does the status.
    upstream = FakeUpstream.start(upstreamPort);
    serveCompletions(upstream);
    await().atMost(Duration.ofSeconds(20)).until(() -> reachableIs("fast", "True"));

    // A proxy restarts empty; the operator gives it the config again.
    proxyB.close();
    proxyB = proxy(portB, adminB);
    await().atMost(Duration.ofSeconds(20)).until(() -> chat(proxyB, "second") == 200);

    // Without the operator, the proxies keep serving.
    operator.close();
    operator = null;
    assertThat(chat(proxyA, "second")).isEqualTo(200);
    assertThat(chat(proxyB, "second")).isEqualTo(200);
  }

  @Test
  void aTlsBackendsHandshakeFailureIsItsStatusReasonAndAPushedCaFixesIt() {
    dev.switchboard.proxy.testing.TestPki.Ca ca = dev.switchboard.proxy.testing.TestPki.ca("Corp Issuing CA");
    upstream = FakeUpstream.startTls(ca.server().serverTls());
    serveCompletions(upstream);
    proxyA = proxy(0, 0);
    register("proxy-a", proxyA.adminPort());
    operator = OperatorHarness.start(client);
    String backend = """
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: internal}
        spec:
          provider: openai-compatible
          url: %s/v1
          models: [{name: m}]
          healthCheck: {interval: 300ms, timeout: 1s}
        """.formatted(upstream.url());
    String route = """
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: chat}
        spec: {model: chat, targets: [{backendRef: {name: internal}, model: m}], retry: {attempts: 1}}
        """;
    OperatorHarness.apply(client, backend + route);
    await().atMost(Duration.ofSeconds(20)).until(() -> reachableIs("internal", "False"));
    assertThat(reachable("internal").reason()).isEqualTo("TLSHandshakeFailed");
    assertThat(reachable("internal").message()).contains("reachable from 0 of 1 proxy:",
        "unknown authority: the certificate CN=upstream is issued by CN=Corp Issuing CA");
    assertThat(chat(proxyA, "chat")).isEqualTo(502);

    OperatorHarness.apply(client, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: corp-ca}\ndata:\n  ca.crt: |\n"
        + ca.pem().indent(4) + "---\n" + backend + "  tls: {ca: {configMapRef: {name: corp-ca, key: ca.crt}}}\n" + route);
    await().atMost(Duration.ofSeconds(20)).until(() -> reachableIs("internal", "True"));
    assertThat(chat(proxyA, "chat")).isEqualTo(200);
  }

  /** Answers probes with a model list and chats with a completion. */
  private static void serveCompletions(FakeUpstream upstream) {
    upstream.then((req, res, r) -> {
      if (r.path().endsWith("/models")) {
        FakeUpstream.json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"m\"}]}").answer(req, res, r);
      } else {
        FakeUpstream.completion("hello").answer(req, res, r);
      }
    });
  }
}
