package dev.switchboard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.api.v1alpha1.ClientKey;
import dev.switchboard.api.v1alpha1.Condition;
import dev.switchboard.operator.status.Conditions;
import dev.switchboard.proxy.observe.AccessLog;
import dev.switchboard.proxy.server.ProxyServer;
import dev.switchboard.proxy.server.Settings;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ClientKeys through the whole system: the mock API server, the operator, two real proxies (no
 * Redis) and a mock backend. A ClientKey without secretRef gets a generated key in a Secret it
 * owns; the key chats on both proxies, only with the models it may call; the status shows the
 * fleet's usage, and the budget, summed by the operator, is refused on both proxies; deleting
 * the ClientKey stops the key, and the gateway stays closed.
 */
@EnableKubernetesMockClient(crud = true)
class ClientKeyEndToEndTest {
  KubernetesClient client;
  private final HttpClient http = HttpClient.newHttpClient();
  private ProxyServer proxyA;
  private ProxyServer proxyB;
  private SwitchboardOperator operator;

  private static final String MANIFESTS = """
      apiVersion: switchboard.dev/v1alpha1
      kind: ChatBackend
      metadata: {name: mock}
      spec:
        provider: mock
        models: [{name: echo, pricing: {input: 1000, output: 1000}}]
      ---
      apiVersion: switchboard.dev/v1alpha1
      kind: ModelRoute
      metadata: {name: chat}
      spec: {model: chat, targets: [{backendRef: {name: mock}, model: echo}]}
      ---
      apiVersion: switchboard.dev/v1alpha1
      kind: ModelRoute
      metadata: {name: other}
      spec: {model: other, targets: [{backendRef: {name: mock}, model: echo}]}
      ---
      apiVersion: switchboard.dev/v1alpha1
      kind: ClientKey
      metadata: {name: team-a}
      spec:
        models: [chat]
        budget: {usd: 0.05, period: day}
      """;

  @AfterEach
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {operator, proxyA, proxyB}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // already stopped
      }
    }
  }

  private static ProxyServer proxy() {
    return ProxyServer.start("127.0.0.1", 0, 0,
        ProxyServer.context(Settings.defaults().withAdminToken(OperatorHarness.TOKEN), AccessLog.to(line -> {}), true));
  }

  private void register(String name, int adminPort) {
    client.pods().inNamespace(OperatorHarness.PROXY_NAMESPACE).resource(new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(OperatorHarness.PROXY_NAMESPACE).withUid(name + "-uid")
          .addToLabels("app.kubernetes.io/name", "switchboard").addToLabels("app.kubernetes.io/component", "proxy")
        .endMetadata()
        .withNewSpec().addNewContainer().withName("proxy").withImage("switchboard-proxy")
          .addNewPort().withName("admin").withContainerPort(adminPort).endPort()
        .endContainer().endSpec()
        .withNewStatus().withPhase("Running").withPodIP("127.0.0.1").endStatus()
        .build()).create();
  }

  private HttpResponse<String> chat(ProxyServer proxy, String model, String key) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/v1/chat/completions"))
          .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\","
              + "\"content\":\"hello there\"}]}"));
      if (!key.isEmpty()) {
        b.header("authorization", "Bearer " + key);
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private int status(ProxyServer proxy, String model, String key) {
    return chat(proxy, model, key).statusCode();
  }

  private ClientKey key() {
    return client.resources(ClientKey.class).inNamespace("default").withName("team-a").get();
  }

  private Condition condition(String type) {
    ClientKey k = key();
    return k == null || k.getStatus() == null ? null : Conditions.find(k.getStatus().conditions(), type).orElse(null);
  }

  private String generatedKey() {
    Secret s = client.secrets().inNamespace("default").withName("team-a-client-key").get();
    if (s == null) {
      return "";
    }
    if (s.getData() != null && s.getData().containsKey("api-key")) {
      return new String(Base64.getDecoder().decode(s.getData().get("api-key")), StandardCharsets.UTF_8);
    }
    return s.getStringData() == null ? "" : s.getStringData().getOrDefault("api-key", "");
  }

  @Test
  void aGeneratedKeyChatsIsCountedAndBudgetedForTheFleetAndStopsWhenDeleted() {
    proxyA = proxy();
    proxyB = proxy();
    register("proxy-a", proxyA.adminPort());
    register("proxy-b", proxyB.adminPort());
    operator = OperatorHarness.start(client, OperatorHarness.requiringClientKeys(OperatorHarness.settings(false, "test")));
    OperatorHarness.apply(client, MANIFESTS);

    // The operator generates the key into a Secret the ClientKey owns, and names it in the status.
    await().atMost(Duration.ofSeconds(20)).until(() -> !generatedKey().isEmpty());
    String key = generatedKey();
    assertThat(key).startsWith("sk-sb-").hasSizeGreaterThanOrEqualTo(6 + 43);
    Secret secret = client.secrets().inNamespace("default").withName("team-a-client-key").get();
    assertThat(secret.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getKind()).isEqualTo("ClientKey");
      assertThat(o.getUid()).isEqualTo(key().getMetadata().getUid());
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> condition("Ready") != null && "True".equals(condition("Ready").status()));
    assertThat(key().getStatus().secretName()).isEqualTo("team-a-client-key");

    // Both proxies take it, for the model it may call only; nothing passes without it.
    await().atMost(Duration.ofSeconds(20)).until(() -> status(proxyA, "chat", key) == 200 && status(proxyB, "chat", key) == 200);
    HttpResponse<String> other = chat(proxyA, "other", key);
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(other.body()).contains("model_not_found", "does not exist or you do not have access to it").doesNotContain("\"other\",");
    assertThat(status(proxyB, "chat", "")).isEqualTo(401);

    // The status sums both proxies' usage; spending the budget is refused on both.
    int served = 2;
    for (int i = 0; i < 40 && status(i % 2 == 0 ? proxyA : proxyB, "chat", key) == 200; i++) {
      served++;
      final int expected = served;
      // The operator's sum reaches the proxies each round; wait for it so the refusal is the fleet's.
      await().atMost(Duration.ofSeconds(20)).until(() -> operator.hub().usage("default/team-a")
          .map(u -> u.requests() >= expected).orElse(false));
    }
    assertThat(served).as("about a cent a request at these prices, against $0.05").isBetween(3, 40);
    await().atMost(Duration.ofSeconds(20)).until(() -> status(proxyA, "chat", key) == 429 && status(proxyB, "chat", key) == 429);
    assertThat(chat(proxyA, "chat", key).body()).contains("insufficient_quota");
    await().atMost(Duration.ofSeconds(20)).until(() -> condition("BudgetExhausted") != null
        && "True".equals(condition("BudgetExhausted").status()));
    ClientKey spent = key();
    assertThat(spent.getStatus().usage().requests()).isGreaterThanOrEqualTo(served);
    assertThat(spent.getStatus().usage().costUsd()).isGreaterThanOrEqualTo(0.05);
    assertThat(spent.getStatus().usage().lastUsed()).isNotNull();
    List<Event> events = client.v1().events().inNamespace("default").list().getItems();
    assertThat(events).anySatisfy(e -> {
      assertThat(e.getInvolvedObject().getName()).isEqualTo("team-a");
      assertThat(e.getReason()).isEqualTo("BudgetSpent");
      assertThat(e.getType()).isEqualTo("Warning");
    });

    // Deleted, the key stops within seconds; the gateway required keys, so it stays closed.
    client.resources(ClientKey.class).inNamespace("default").withName("team-a").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> status(proxyA, "chat", key) == 401 && status(proxyB, "chat", key) == 401);
    assertThat(status(proxyA, "chat", "")).as("no key left, and still closed").isEqualTo(401);
  }
}
