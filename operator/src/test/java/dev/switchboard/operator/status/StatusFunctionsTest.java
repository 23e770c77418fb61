package dev.switchboard.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.v1alpha1.ChatBackend;
import dev.switchboard.api.v1alpha1.ChatBackendSpec;
import dev.switchboard.api.v1alpha1.Condition;
import dev.switchboard.api.v1alpha1.HealthCheck;
import dev.switchboard.api.v1alpha1.ModelSpec;
import dev.switchboard.api.v1alpha1.Provider;
import dev.switchboard.compiler.Compilation;
import dev.switchboard.compiler.ConfigCompiler;
import dev.switchboard.compiler.SecretLookup;
import dev.switchboard.validation.ResourceValidator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The operator's pure parts: conditions, aggregation, desired status. */
class StatusFunctionsTest {
  private static final ConfigCompiler COMPILER = new ConfigCompiler(ResourceValidator.fromClasspath());
  private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

  private static ChatBackend mock(String name, boolean probing) {
    ChatBackend b = new ChatBackend();
    b.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withGeneration(3L).build());
    b.setSpec(new ChatBackendSpec(Provider.MOCK, null, null, null, null, null, List.of(new ModelSpec("m", null, null, null, null, null)),
        null, null, probing ? null : new HealthCheck(false, null, null, null, null), null, null, null, null, null, null));
    return b;
  }

  private static ProxyReport.Backend seen(String id, Boolean reachable, String reason, long latency, String at, String error,
      List<String> models) {
    return new ProxyReport.Backend(id, true, Optional.ofNullable(reachable), reason, latency,
        at == null ? Optional.empty() : Optional.of(Instant.parse(at)), error, models);
  }

  @Test
  void conditionsKeepTheirTransitionTimeWhileTheStatusStays() {
    List<Condition> first = Conditions.merge(List.of(), List.of(Conditions.of("Ready", "True", "Ready", "ok", 1)), T0);
    List<Condition> same = Conditions.merge(first, List.of(Conditions.of("Ready", "True", "Ready", "still ok", 2)), T0.plusSeconds(60));
    List<Condition> flipped = Conditions.merge(same, List.of(Conditions.of("Ready", "False", "Unreachable", "down", 2)), T0.plusSeconds(90));
    assertThat(first.get(0).lastTransitionTime()).isEqualTo("2026-11-01T10:00:00Z");
    assertThat(same.get(0).lastTransitionTime()).isEqualTo("2026-11-01T10:00:00Z");
    assertThat(same.get(0).message()).isEqualTo("still ok");
    assertThat(flipped.get(0).lastTransitionTime()).isEqualTo("2026-11-01T10:01:30Z");
  }

  @Test
  void connectivityCombinesProxiesAndIgnoresThoseWithoutAProbe() {
    Map<String, BackendConnectivity> c = ConnectivityAggregation.of(List.of(
        new ProxyReport("a", Optional.of("v1"), List.of(seen("ns/b", true, "Reachable", 30, "2026-11-01T10:00:01Z", "", List.of("m1")),
            seen("ns/x", null, "", 0, null, "", List.of()))),
        new ProxyReport("b", Optional.of("v1"), List.of(seen("ns/b", false, "Unreachable", 5, "2026-11-01T10:00:03Z", "refused", List.of()))),
        new ProxyReport("c", Optional.of("v1"), List.of(seen("ns/b", true, "Reachable", 10, "2026-11-01T10:00:02Z", "", List.of("m2"))))));
    BackendConnectivity b = c.get("ns/b");
    assertThat(b.reporting()).isEqualTo(3);
    assertThat(b.reachable()).isEqualTo(2);
    assertThat(b.latencyMillis()).contains(30L);
    assertThat(b.lastProbeTime()).contains(Instant.parse("2026-11-01T10:00:03Z"));
    assertThat(b.lastError()).isEqualTo("refused");
    assertThat(b.discoveredModels()).containsExactly("m2");
    assertThat(c).doesNotContainKey("ns/x");
  }

  @Test
  void backendStatusFollowsAcceptanceAndProbes() {
    ChatBackend backend = mock("b", true);
    Compilation compiled = COMPILER.compile(List.of(backend), List.of(), SecretLookup.none());
    var awaiting = BackendStatuses.desired(backend, compiled, Optional.empty(), null, T0);
    assertThat(awaiting.observedGeneration()).isEqualTo(3);
    assertThat(awaiting.conditions()).extracting(Condition::type, Condition::status, Condition::reason).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Accepted", "True", "Accepted"),
        org.assertj.core.groups.Tuple.tuple("Reachable", "Unknown", "AwaitingProbe"),
        org.assertj.core.groups.Tuple.tuple("Ready", "Unknown", "AwaitingProbe"),
        org.assertj.core.groups.Tuple.tuple("Suspended", "False", "Active"));
    var down = BackendStatuses.desired(backend, compiled, Optional.of(new BackendConnectivity(2, 0, Optional.empty(),
        Optional.of(T0), "Unauthorized", "HTTP 401", List.of())), null, T0);
    assertThat(Conditions.find(down.conditions(), "Reachable").orElseThrow().reason()).isEqualTo("Unauthorized");
    assertThat(Conditions.find(down.conditions(), "Reachable").orElseThrow().message()).isEqualTo("reachable from 0 of 2 proxies: HTTP 401");
    assertThat(Conditions.find(down.conditions(), "Ready").orElseThrow().status()).isEqualTo("False");

    ChatBackend quiet = mock("q", false);
    var unprobed = BackendStatuses.desired(quiet, COMPILER.compile(List.of(quiet), List.of(), SecretLookup.none()), Optional.empty(), null, T0);
    assertThat(Conditions.find(unprobed.conditions(), "Reachable").orElseThrow().reason()).isEqualTo("ProbesDisabled");
    assertThat(Conditions.find(unprobed.conditions(), "Ready").orElseThrow().status()).isEqualTo("True");

    var pending = BackendStatuses.desired(backend, COMPILER.compile(List.of(), List.of(), SecretLookup.none()), Optional.empty(), "x", T0);
    assertThat(Conditions.find(pending.conditions(), "Accepted").orElseThrow().reason()).isEqualTo("Pending");
    assertThat(pending.checkRequest()).isEqualTo("x");
  }

  @Test
  void suspensionAndExposedModelsShowOnTheBackendAndTheRoutesTargets() {
    var set = new dev.switchboard.manifest.ManifestReader(ResourceValidator.fromClasspath(), name -> Optional.empty()).read("t.yaml", """
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: paused, namespace: ns, creationTimestamp: "2026-01-02T00:00:00Z"}
        spec: {provider: mock, models: [{name: m}, {name: n}], suspended: true, exposeModels: true}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: live, namespace: ns}
        spec: {provider: mock, models: [{name: m}], healthCheck: {enabled: false}}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: chat, namespace: ns, creationTimestamp: "2026-01-01T00:00:00Z"}
        spec:
          model: chat
          aliases: [paused/n]
          targets:
            - {backendRef: {name: paused}, model: m}
            - {backendRef: {name: live}, model: m, suspended: true}
        """);
    assertThat(set.problems()).isEmpty();
    Compilation compiled = COMPILER.compile(set.backends(), set.routes(), set.secretLookup());
    ChatBackend paused = set.backends().stream().filter(b -> b.getMetadata().getName().equals("paused")).findFirst().orElseThrow();
    var status = BackendStatuses.desired(paused, compiled, Optional.empty(), null, T0);
    Condition suspended = Conditions.find(status.conditions(), "Suspended").orElseThrow();
    assertThat(suspended.status()).isEqualTo("True");
    assertThat(Conditions.find(status.conditions(), "Accepted").orElseThrow().status()).as("suspension is not a fault").isEqualTo("True");
    Condition exposed = Conditions.find(status.conditions(), "ModelsExposed").orElseThrow();
    assertThat(exposed.status()).isEqualTo("False");
    assertThat(exposed.reason()).isEqualTo("Conflict");
    assertThat(exposed.message()).isEqualTo("model name \"paused/n\" is already served by the older ModelRoute ns/chat; serving paused/m");

    var route = RouteStatuses.desired(set.routes().get(0), compiled, id -> BackendStatuses.readiness(id, compiled, Optional.empty()), T0);
    assertThat(route.targets()).extracting(t -> t.backend() + ":" + t.ready() + ":" + t.reason() + ":" + t.message()).containsExactly(
        "paused:false:Suspended:ChatBackend paused is suspended; its backend is otherwise AwaitingProbe",
        "live:false:Suspended:the target is suspended in this route; its backend is otherwise ready");
    Condition ready = Conditions.find(route.conditions(), "Ready").orElseThrow();
    assertThat(ready.status() + " " + ready.reason()).isEqualTo("False Suspended");
  }
}
