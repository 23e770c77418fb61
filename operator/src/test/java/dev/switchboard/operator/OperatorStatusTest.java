package dev.switchboard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.api.v1alpha1.ChatBackend;
import dev.switchboard.api.v1alpha1.Condition;
import dev.switchboard.api.v1alpha1.ModelRoute;
import dev.switchboard.api.v1alpha1.TargetStatus;
import dev.switchboard.operator.publish.SnapshotWriter;
import dev.switchboard.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator's status writing against the fabric8 mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class OperatorStatusTest {
  KubernetesClient client;
  private SwitchboardOperator operator;

  private static final String BACKEND = """
      apiVersion: switchboard.dev/v1alpha1
      kind: ChatBackend
      metadata: {name: openai}
      spec:
        provider: openai
        credentials: {secretRef: {name: keys, key: openai}}
        models: [{name: gpt-4o}]
      """;
  private static final String SECRET = """
      apiVersion: v1
      kind: Secret
      metadata: {name: keys}
      stringData: {openai: %s}
      """;

  @BeforeEach
  void start() {
    operator = OperatorHarness.start(client);
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  static String condition(List<Condition> conditions, String type) {
    return Conditions.find(conditions, type).map(c -> c.status() + "/" + c.reason()).orElse("missing");
  }

  private String backendCondition(String name, String type) {
    ChatBackend b = OperatorHarness.backend(client, "default", name);
    return b == null || b.getStatus() == null ? "none" : condition(b.getStatus().conditions(), type);
  }

  private String routeCondition(String name, String type) {
    ModelRoute r = OperatorHarness.route(client, "default", name);
    return r == null || r.getStatus() == null ? "none" : condition(r.getStatus().conditions(), type);
  }

  private static String route(String name, String model, String backend, String created) {
    return """
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: %s, creationTimestamp: "%s"}
        spec: {model: %s, targets: [{backendRef: {name: %s}, model: gpt-4o}]}
        """.formatted(name, created, model, backend);
  }

  @Test
  void validResourcesAreAcceptedAndResolved() {
    OperatorHarness.apply(client, SECRET.formatted("sk-operator-test") + "---\n" + BACKEND + "---\n"
        + route("smart", "smart", "openai", "2026-01-01T00:00:00Z"));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(backendCondition("openai", "Accepted")).isEqualTo("True/Accepted");
      assertThat(backendCondition("openai", "Reachable")).isEqualTo("Unknown/AwaitingProbe");
      assertThat(backendCondition("openai", "Ready")).isEqualTo("Unknown/AwaitingProbe");
      assertThat(routeCondition("smart", "Accepted")).isEqualTo("True/Accepted");
      assertThat(routeCondition("smart", "ResolvedRefs")).isEqualTo("True/ResolvedRefs");
      assertThat(routeCondition("smart", "Ready")).isEqualTo("Unknown/AwaitingProbe");
    });
    ChatBackend b = OperatorHarness.backend(client, "default", "openai");
    assertThat(b.getStatus().observedGeneration()).isEqualTo(b.getMetadata().getGeneration() == null ? 0 : b.getMetadata().getGeneration());
    assertThat(Conditions.find(b.getStatus().conditions(), "Accepted").orElseThrow().lastTransitionTime()).isNotBlank();
    Secret snapshot = client.secrets().inNamespace(OperatorHarness.PROXY_NAMESPACE).withName("switchboard-routing-snapshot").get();
    assertThat(snapshot.getData()).containsKey(SnapshotWriter.KEY);
    assertThat(snapshot.getMetadata().getAnnotations().get(SnapshotWriter.VERSION_ANNOTATION)).startsWith("sha256:");
  }

  @Test
  void aMissingSecretIsReportedUntilItAppearsAndARotationIsPublished() {
    OperatorHarness.apply(client, BACKEND);
    await().atMost(Duration.ofSeconds(20)).until(() -> backendCondition("openai", "Accepted").equals("False/SecretNotFound"));
    ChatBackend b = OperatorHarness.backend(client, "default", "openai");
    assertThat(Conditions.find(b.getStatus().conditions(), "Accepted").orElseThrow().message())
        .isEqualTo("spec.credentials.secretRef.name: Secret \"keys\" not found in namespace \"default\"");
    assertThat(backendCondition("openai", "Ready")).isEqualTo("False/SecretNotFound");

    OperatorHarness.apply(client, SECRET.formatted("sk-first"));
    await().atMost(Duration.ofSeconds(20)).until(() -> backendCondition("openai", "Accepted").equals("True/Accepted"));
    String first = snapshotVersion();

    OperatorHarness.apply(client, SECRET.formatted("sk-rotated"));
    await().atMost(Duration.ofSeconds(20)).until(() -> !snapshotVersion().equals(first));
    assertThat(client.v1().events().inNamespace("default").list().getItems()).extracting(Event::getReason)
        .contains("SecretNotFound", "Accepted");
  }

  @Test
  void aCaBundleConfigMapIsWatchedAndItsRotationReachesTheConfig() {
    String backend = """
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: internal}
        spec:
          provider: openai-compatible
          url: https://vllm.internal:8443/v1
          models: [{name: m}]
          tls: {ca: {configMapRef: {name: corp-ca, key: ca.crt}}}
        """;
    String configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: corp-ca}\ndata:\n  ca.crt: |\n%s";
    OperatorHarness.apply(client, backend);
    await().atMost(Duration.ofSeconds(20)).until(() -> backendCondition("internal", "Accepted").equals("False/ConfigMapNotFound"));

    OperatorHarness.apply(client, configMap.formatted("    not a certificate\n"));
    await().atMost(Duration.ofSeconds(20)).until(() -> backendCondition("internal", "Accepted").equals("False/InvalidTLS"));

    String first = dev.switchboard.proxy.testing.TestPki.ca("Corp CA 2026").pem();
    OperatorHarness.apply(client, configMap.formatted(first.indent(4)));
    await().atMost(Duration.ofSeconds(20)).until(() -> backendCondition("internal", "Accepted").equals("True/Accepted"));
    String version = snapshotVersion();

    OperatorHarness.apply(client, configMap.formatted((first + dev.switchboard.proxy.testing.TestPki.ca("Corp CA 2027").pem()).indent(4)));
    await().atMost(Duration.ofSeconds(20)).until(() -> !snapshotVersion().equals(version));
    Secret snapshot = client.secrets().inNamespace(OperatorHarness.PROXY_NAMESPACE).withName("switchboard-routing-snapshot").get();
    assertThat(snapshot.getData().toString()).as("the snapshot holds the config, not the test's words").doesNotContain("Corp CA 2027");
  }

  @Test
  void theOlderRouteKeepsAContestedNameAndDanglingTargetsAreReported() {
    // The API server stamps creationTimestamp to the second: make sure "newer" really is newer
    // (and sorts first by name, so only its age can make it lose).
    OperatorHarness.apply(client, SECRET.formatted("sk") + "---\n" + BACKEND + "---\n"
        + route("older", "chat", "openai", "2026-01-01T00:00:00Z"));
    java.time.Instant olderCreated = java.time.Instant.parse(
        OperatorHarness.route(client, "default", "older").getMetadata().getCreationTimestamp());
    await().atMost(Duration.ofSeconds(3)).until(() -> java.time.Instant.now().isAfter(olderCreated.plusSeconds(1)));
    OperatorHarness.apply(client, route("newer", "chat", "openai", "2026-02-01T00:00:00Z") + "---\n"
        + route("dangling", "lonely", "nowhere", "2026-03-01T00:00:00Z"));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(routeCondition("older", "Accepted")).isEqualTo("True/Accepted");
      assertThat(routeCondition("newer", "Accepted")).isEqualTo("False/Conflict");
      assertThat(routeCondition("newer", "Ready")).isEqualTo("False/Conflict");
      assertThat(routeCondition("dangling", "ResolvedRefs")).isEqualTo("False/BackendNotFound");
      assertThat(routeCondition("dangling", "Ready")).isEqualTo("False/NoUsableTargets");
    });
    ModelRoute newer = OperatorHarness.route(client, "default", "newer");
    assertThat(Conditions.find(newer.getStatus().conditions(), "Accepted").orElseThrow().message())
        .isEqualTo("model name \"chat\" is already served by the older ModelRoute default/older");
    ModelRoute dangling = OperatorHarness.route(client, "default", "dangling");
    assertThat(dangling.getStatus().targets()).extracting(TargetStatus::ready, TargetStatus::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(false, "BackendNotFound"));

    OperatorHarness.apply(client, BACKEND.replace("name: openai}", "name: nowhere}"));
    await().atMost(Duration.ofSeconds(20)).until(() -> routeCondition("dangling", "ResolvedRefs").equals("True/ResolvedRefs"));

    client.resources(ChatBackend.class).inNamespace("default").withName("nowhere").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> routeCondition("dangling", "ResolvedRefs").equals("False/BackendNotFound"));
  }

  @Test
  void aSpecTheApiServerShouldHaveRejectedIsStillJudged() {
    // The mock server enforces no schema, like a cluster whose CRD is missing its validation.
    OperatorHarness.apply(client, """
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: azure}
        spec:
          provider: azure-openai
          url: https://r.openai.azure.com
          credentials: {secretRef: {name: keys, key: k}}
          azure: {apiVersion: "2024-10-21"}
          models: [{name: gpt-4o}]
        """);
    await().atMost(Duration.ofSeconds(20)).until(() -> backendCondition("azure", "Accepted").equals("False/InvalidSpec"));
    ChatBackend b = OperatorHarness.backend(client, "default", "azure");
    assertThat(Conditions.find(b.getStatus().conditions(), "Accepted").orElseThrow().message())
        .isEqualTo("spec: azure.deployments has no deployment for model gpt-4o");
  }

  @Test
  void statusIsWrittenOnceNotOnEveryResyncOrPoll() {
    OperatorHarness.apply(client, SECRET.formatted("sk") + "---\n" + BACKEND + "---\n"
        + route("smart", "smart", "openai", "2026-01-01T00:00:00Z"));
    await().atMost(Duration.ofSeconds(20)).until(() -> routeCondition("smart", "ResolvedRefs").equals("True/ResolvedRefs")
        && backendCondition("openai", "Accepted").equals("True/Accepted"));
    String backendVersion = OperatorHarness.backend(client, "default", "openai").getMetadata().getResourceVersion();
    String routeVersion = OperatorHarness.route(client, "default", "smart").getMetadata().getResourceVersion();
    // Several connectivity polls and compiles happen in this window; none may rewrite a status.
    operator.publisher().requestCompile();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() ->
        backendVersion.equals(OperatorHarness.backend(client, "default", "openai").getMetadata().getResourceVersion())
            && routeVersion.equals(OperatorHarness.route(client, "default", "smart").getMetadata().getResourceVersion()));
  }

  private String snapshotVersion() {
    Secret s = client.secrets().inNamespace(OperatorHarness.PROXY_NAMESPACE).withName("switchboard-routing-snapshot").get();
    return s == null ? "" : s.getMetadata().getAnnotations().get(SnapshotWriter.VERSION_ANNOTATION);
  }
}
