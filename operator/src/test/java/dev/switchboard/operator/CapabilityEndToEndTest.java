package dev.switchboard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.api.v1alpha1.CapabilityStatus;
import dev.switchboard.api.v1alpha1.ChatBackend;
import dev.switchboard.api.v1alpha1.Condition;
import dev.switchboard.api.v1alpha1.ModelRoute;
import dev.switchboard.operator.status.Conditions;
import dev.switchboard.proxy.observe.AccessLog;
import dev.switchboard.proxy.server.ProxyServer;
import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.testing.CapabilityFakes;
import dev.switchboard.proxy.testing.FakeUpstream;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Capability checks through the whole system: the operator has one of two proxies run each
 * backend's checks (once for the fleet), writes the verdicts to the ChatBackends' status and the
 * routes' CapabilitiesVerified condition, and both proxies route requests with tools by them.
 */
@EnableKubernetesMockClient(crud = true)
class CapabilityEndToEndTest {
  KubernetesClient client;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void stop() {
    for (AutoCloseable c : closing.reversed()) {
      try {
        c.close();
      } catch (Exception ignored) {
        // already stopped
      }
    }
  }

  private FakeUpstream upstream(String name, boolean toolsWork) {
    FakeUpstream u = FakeUpstream.start().then(CapabilityFakes.server(name,
        toolsWork ? CapabilityFakes.Flaw.NONE : CapabilityFakes.Flaw.TEXT_FOR_TOOLS));
    closing.add(u);
    return u;
  }

  private ProxyServer proxy(String pod) {
    ProxyServer p = ProxyServer.start("127.0.0.1", 0, 0,
        ProxyServer.context(Settings.defaults().withAdminToken(OperatorHarness.TOKEN), AccessLog.to(line -> {}), true));
    closing.add(p);
    client.pods().inNamespace(OperatorHarness.PROXY_NAMESPACE).resource(new PodBuilder()
        .withNewMetadata().withName(pod).withNamespace(OperatorHarness.PROXY_NAMESPACE).withUid(pod + "-uid")
          .addToLabels("app.kubernetes.io/name", "switchboard").addToLabels("app.kubernetes.io/component", "proxy")
        .endMetadata()
        .withNewSpec().addNewContainer().withName("proxy").withImage("switchboard-proxy")
          .addNewPort().withName("admin").withContainerPort(p.adminPort()).endPort()
        .endContainer().endSpec()
        .withNewStatus().withPhase("Running").withPodIP("127.0.0.1").endStatus()
        .build()).create();
    return p;
  }

  private String backendOfToolsRequest(ProxyServer proxy) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/v1/chat/completions"))
          .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}],"
              + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}]}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      return r.headers().firstValue("x-switchboard-backend").orElse("");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private List<CapabilityStatus> capabilities(String backend) {
    ChatBackend b = OperatorHarness.backend(client, "default", backend);
    return b == null || b.getStatus() == null || b.getStatus().capabilities() == null ? List.of() : b.getStatus().capabilities();
  }

  private Optional<Condition> routeCondition(String route) {
    ModelRoute r = OperatorHarness.route(client, "default", route);
    return r == null || r.getStatus() == null ? Optional.empty() : Conditions.find(r.getStatus().conditions(), "CapabilitiesVerified");
  }

  @Test
  void oneProxyChecksForTheFleetAndEveryProxyRoutesByTheVerdicts() {
    FakeUpstream textual = upstream("textual", false);
    FakeUpstream good = upstream("good", true);
    ProxyServer a = proxy("proxy-a");
    ProxyServer b = proxy("proxy-b");
    closing.add(OperatorHarness.start(client));
    String backend = """
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: %s}
        spec:
          provider: openai-compatible
          url: %s/v1
          models: [{name: m}]
          healthCheck: {capabilities: [tools, stream-usage]}
        ---
        """;
    OperatorHarness.apply(client, backend.formatted("textual", textual.url()) + backend.formatted("good", good.url()) + """
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: chat}
        spec:
          model: chat
          capabilities: [tools]
          targets:
            - {backendRef: {name: textual}, model: m, priority: 0}
            - {backendRef: {name: good}, model: m, priority: 1}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: words}
        spec:
          model: words
          capabilities: [tools, reasoning]
          targets: [{backendRef: {name: textual}, model: m}]
        """);

    await().atMost(Duration.ofSeconds(30)).until(() -> capabilities("textual").size() == 2 && capabilities("good").size() == 2);
    assertThat(capabilities("textual")).extracting(c -> c.capability() + " " + c.verified() + " " + c.reason())
        .containsExactly("stream-usage true Verified", "tools false NoToolCall");
    assertThat(capabilities("good")).extracting(c -> c.capability() + " " + c.verified()).containsExactly("stream-usage true", "tools true");
    assertThat(capabilities("textual")).allSatisfy(c -> assertThat(c.lastChecked()).isNotEmpty());
    assertThat(textual.received().stream().filter(r -> r.body().contains("get_weather"))).as("checked once for the fleet").hasSize(1);

    await().atMost(Duration.ofSeconds(30)).until(() -> routeCondition("words").map(c -> "False".equals(c.status())).orElse(false));
    assertThat(routeCondition("words").orElseThrow().reason()).isEqualTo("CapabilityFailed");
    assertThat(routeCondition("words").orElseThrow().message()).isEqualTo("tools failed its check on every target: textual model m (NoToolCall)");
    await().atMost(Duration.ofSeconds(30)).until(() -> routeCondition("chat").map(c -> "True".equals(c.status())).orElse(false));

    await().atMost(Duration.ofSeconds(30)).until(() -> backendOfToolsRequest(a).equals("default/good")
        && backendOfToolsRequest(b).equals("default/good"));

    // Suspending the good backend: the condition and the route's target say so, and the proxies fall back to the other.
    OperatorHarness.apply(client, backend.formatted("good", good.url()).replace("models: [{name: m}]", "models: [{name: m}]\n  suspended: true"));
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      ChatBackend g = OperatorHarness.backend(client, "default", "good");
      return g.getStatus() != null && Conditions.find(g.getStatus().conditions(), "Suspended").map(c -> "True".equals(c.status())).orElse(false);
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      ModelRoute r = OperatorHarness.route(client, "default", "chat");
      return r.getStatus() != null && r.getStatus().targets() != null
          && r.getStatus().targets().stream().anyMatch(t -> t.backend().equals("good") && "Suspended".equals(t.reason()));
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> backendOfToolsRequest(a).equals("default/textual")
        && backendOfToolsRequest(b).equals("default/textual"));
  }
}
