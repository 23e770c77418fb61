package dev.switchboard.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.TestManifests;
import dev.switchboard.api.v1alpha1.BackendApi;
import dev.switchboard.api.v1alpha1.ReasoningSummary;
import dev.switchboard.api.v1alpha1.ChatBackend;
import dev.switchboard.api.v1alpha1.ChatBackendSpec;
import dev.switchboard.api.v1alpha1.ModelRoute;
import dev.switchboard.api.v1alpha1.ModelSpec;
import dev.switchboard.api.v1alpha1.ModelType;
import dev.switchboard.api.v1alpha1.Provider;
import dev.switchboard.api.v1alpha1.RetryOn;
import dev.switchboard.api.v1alpha1.Strategy;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.ClientConfig;
import dev.switchboard.config.RouteConfig;
import dev.switchboard.config.RoutingConfig;
import dev.switchboard.config.SecretValue;
import dev.switchboard.config.TargetConfig;
import dev.switchboard.manifest.ManifestSet;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigCompilerTest {
  private static final String SECRET = """
      apiVersion: v1
      kind: Secret
      metadata: {name: keys}
      stringData: {openai: "sk-one\\n"}
      ---
      """;
  private static final String OPENAI = """
      apiVersion: switchboard.dev/v1alpha1
      kind: ChatBackend
      metadata: {name: openai}
      spec:
        provider: openai
        credentials: {secretRef: {name: keys, key: openai}}
        models:
          - {name: gpt-4o, upstreamName: gpt-4o-2024-11-20, contextWindow: 128000, pricing: {input: 2.5, output: 10}}
          - {name: embed, type: embedding}
      ---
      """;

  @Test
  void resolvesDefaultsSecretsAndUpstreamNames() {
    Compilation c = TestManifests.compile(SECRET + OPENAI + """
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: azure}
        spec:
          provider: azure-openai
          url: https://r.openai.azure.com///
          credentials: {secretRef: {name: keys, key: openai}}
          azure: {apiVersion: "2024-10-21", deployments: {gpt-4o: prod-4o}}
          models: [{name: gpt-4o}]
          timeouts: {connect: 1500ms, streamIdle: 1m30s}
          limits: {maxConcurrent: 8}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: four}
        spec:
          model: gpt-4o
          aliases: [four]
          defaults: {temperature: 0.2}
          targets:
            - {backendRef: {name: azure}, parameters: {reasoning_effort: high}}
            - {backendRef: {name: openai}, priority: 1}
        """);
    assertThat(c.problems()).isEmpty();
    RoutingConfig config = c.config();

    BackendConfig openai = config.backend("default/openai").orElseThrow();
    assertThat(openai.url()).isEqualTo("https://api.openai.com/v1");
    assertThat(openai.apiKey().reveal()).as("a trailing newline is never part of a key").isEqualTo("sk-one");
    assertThat(openai.model("gpt-4o").orElseThrow().upstreamName()).isEqualTo("gpt-4o-2024-11-20");
    assertThat(openai.model("embed").orElseThrow().type()).isEqualTo(ModelType.EMBEDDING);
    assertThat(openai.timeouts().request()).isEqualTo(Duration.ofSeconds(300));
    assertThat(openai.healthCheck().enabled()).isTrue();

    BackendConfig azure = config.backend("default/azure").orElseThrow();
    assertThat(azure.url()).isEqualTo("https://r.openai.azure.com");
    assertThat(azure.api()).isEqualTo(BackendApi.CHAT_COMPLETIONS);
    assertThat(azure.model("gpt-4o").orElseThrow().upstreamName()).isEqualTo("prod-4o");
    assertThat(azure.timeouts().connect()).isEqualTo(Duration.ofMillis(1500));
    assertThat(azure.timeouts().streamIdle()).isEqualTo(Duration.ofSeconds(90));
    assertThat(azure.limits().maxConcurrent()).isEqualTo(8);
    assertThat(azure.limits().requestsPerMinute()).isZero();

    RouteConfig route = config.route("four").orElseThrow();
    assertThat(config.route("gpt-4o")).contains(route);
    assertThat(route.strategy()).isEqualTo(Strategy.FAILOVER);
    assertThat(route.type()).isEqualTo(ModelType.CHAT);
    assertThat(route.retry().attempts()).isEqualTo(3);
    assertThat(route.retry().retryOn()).containsExactly(RetryOn.values());
    assertThat(route.defaults().get("temperature").doubleValue()).isEqualTo(0.2);
    assertThat(route.targets()).extracting(t -> t.backend() + "=" + t.upstreamModel() + "@" + t.priority() + "/" + t.weight())
        .containsExactly("default/azure=prod-4o@0/1", "default/openai=gpt-4o-2024-11-20@1/1");
    assertThat(route.targets().get(0).parameters().get("reasoning_effort").asText()).isEqualTo("high");
  }

  @Test
  void theResponsesApiIsOneFieldForThreeProvidersAndAzuresOlderSpellingStillWorks() {
    Compilation c = TestManifests.compile(SECRET + """
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: vllm}
        spec:
          provider: openai-compatible
          url: http://vllm:8000/v1
          api: responses
          reasoningSummary: concise
          models: [{name: m}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: openai}
        spec:
          provider: openai
          credentials: {secretRef: {name: keys, key: openai}}
          models: [{name: m}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: azure-old}
        spec:
          provider: azure-openai
          url: https://r.openai.azure.com
          credentials: {secretRef: {name: keys, key: openai}}
          azure: {apiVersion: v1, api: responses, reasoningSummary: detailed, deployments: {m: d}}
          models: [{name: m}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: azure-new}
        spec:
          provider: azure-openai
          url: https://r.openai.azure.com
          api: responses
          credentials: {secretRef: {name: keys, key: openai}}
          azure: {apiVersion: v1, api: responses, deployments: {m: d}}
          models: [{name: m}]
        """);
    RoutingConfig config = c.config();
    assertThat(config.backend("default/vllm").orElseThrow())
        .extracting(BackendConfig::api, BackendConfig::reasoningSummary).containsExactly(BackendApi.RESPONSES, ReasoningSummary.CONCISE);
    assertThat(config.backend("default/openai").orElseThrow())
        .extracting(BackendConfig::api, BackendConfig::reasoningSummary).containsExactly(BackendApi.CHAT_COMPLETIONS, ReasoningSummary.AUTO);
    assertThat(config.backend("default/azure-old").orElseThrow())
        .extracting(BackendConfig::api, BackendConfig::reasoningSummary).containsExactly(BackendApi.RESPONSES, ReasoningSummary.DETAILED);
    assertThat(config.backend("default/azure-new").orElseThrow().speaksResponses()).isTrue();
  }

  @Test
  void clientKeysCompileToHashesWithTheirModelsLimitsAndBudgets() {
    Compilation c = TestManifests.compile(SECRET + OPENAI + """
        apiVersion: v1
        kind: Secret
        metadata: {name: team-keys}
        stringData: {search: "sk-sb-search\\n", copy: sk-sb-search}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: batch-client-key}
        stringData: {api-key: sk-sb-generated}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: four, creationTimestamp: "2026-01-01T00:00:00Z"}
        spec: {model: four, targets: [{backendRef: {name: openai}, model: gpt-4o}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: embed, creationTimestamp: "2026-01-01T00:00:00Z"}
        spec: {model: embed, targets: [{backendRef: {name: openai}, model: embed}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ClientKey
        metadata: {name: search, creationTimestamp: "2026-01-01T00:00:00Z"}
        spec:
          secretRef: {name: team-keys, key: search}
          models: [four]
          limits: {requestsPerMinute: 10, maxConcurrent: 2}
          budget: {usd: 0.5, period: week}
          expiresAt: "2027-01-31T00:00:00+01:00"
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ClientKey
        metadata: {name: batch, creationTimestamp: "2026-01-02T00:00:00Z"}
        spec: {budget: {usd: 5}}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ClientKey
        metadata: {name: waiting, creationTimestamp: "2026-01-03T00:00:00Z"}
        spec: {}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ClientKey
        metadata: {name: copycat, creationTimestamp: "2026-01-04T00:00:00Z"}
        spec: {secretRef: {name: team-keys, key: copy}}
        """);
    RoutingConfig config = c.config();
    assertThat(config.clients()).extracting(ClientConfig::id).containsExactly("default/batch", "default/search");
    ClientConfig search = config.clients().get(1);
    assertThat(search.keyHash()).isEqualTo(dev.switchboard.config.ClientKeys.hash("sk-sb-search"));
    assertThat(search.models()).containsExactly("four");
    assertThat(search.limits()).isEqualTo(new dev.switchboard.config.LimitConfig(10, 0, 2));
    assertThat(search.budget()).contains(new dev.switchboard.config.BudgetConfig(0.5, dev.switchboard.api.v1alpha1.BudgetPeriod.WEEK));
    assertThat(search.expiresAt()).contains(java.time.Instant.parse("2027-01-30T23:00:00Z"));
    assertThat(config.clients().get(0).budget().orElseThrow().period()).as("month by default")
        .isEqualTo(dev.switchboard.api.v1alpha1.BudgetPeriod.MONTH);
    assertThat(new String(dev.switchboard.config.RoutingConfigJson.write(config), java.nio.charset.StandardCharsets.UTF_8))
        .as("only hashes travel").doesNotContain("sk-sb-");
    assertThat(config.keysRequired()).isTrue();

    assertThat(c.clients()).extracting(o -> o.ref().name() + ":" + o.reason() + ":" + o.secretName())
        .containsExactly("batch:Accepted:batch-client-key", "copycat:Conflict:team-keys", "search:Accepted:team-keys",
            "waiting:SecretNotFound:waiting-client-key");
    assertThat(c.clients().get(1).message()).contains("the key is already the key of the older ClientKey default/search");
    assertThat(c.clients().get(3).message()).contains("the operator creates it");
    assertThat(c.clients().get(0).unpriced()).as("batch may call every model; embed has no pricing").containsExactly("embed");
    assertThat(c.clients().get(2).unpriced()).isEmpty();
  }

  @Test
  void suspensionOfABackendAndOfATargetIsInTheConfig() {
    Compilation c = TestManifests.compile(SECRET + """
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: openai}
        spec:
          provider: openai
          credentials: {secretRef: {name: keys, key: openai}}
          models: [{name: gpt-4o}, {name: mini}]
          suspended: true
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: chat}
        spec:
          model: chat
          targets:
            - {backendRef: {name: openai}, model: gpt-4o}
            - {backendRef: {name: openai}, model: mini, priority: 1, suspended: true}
        """);
    assertThat(c.problems()).isEmpty();
    assertThat(c.config().backend("default/openai").orElseThrow().suspended()).isTrue();
    assertThat(c.config().routes().get(0).targets()).extracting(TargetConfig::suspended).containsExactly(false, true);
  }

  @Test
  void exposedModelsAreOneAttemptRoutesNamedBackendSlashModelAndTheOlderClaimWins() {
    Compilation c = TestManifests.compile(SECRET + """
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: openai, creationTimestamp: "2026-01-02T00:00:00Z"}
        spec:
          provider: openai
          credentials: {secretRef: {name: keys, key: openai}}
          models: [{name: gpt-4o, upstreamName: gpt-4o-2024-11-20}, {name: mini}]
          exposeModels: true
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: hidden}
        spec: {provider: mock, models: [{name: echo}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: older, creationTimestamp: "2026-01-01T00:00:00Z"}
        spec: {model: chat, aliases: [openai/mini], targets: [{backendRef: {name: openai}, model: gpt-4o}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: younger, creationTimestamp: "2026-01-03T00:00:00Z"}
        spec: {model: openai/gpt-4o, targets: [{backendRef: {name: openai}, model: gpt-4o}]}
        """);
    RouteConfig exposed = c.config().routes().stream().filter(r -> r.model().equals("openai/gpt-4o")).findFirst().orElseThrow();
    assertThat(exposed.id()).isEqualTo("default/openai/gpt-4o");
    assertThat(exposed.retry().attempts()).as("one attempt: a ModelRoute gives retries and failover").isEqualTo(1);
    assertThat(exposed.targets()).extracting(t -> t.backend() + "=" + t.upstreamModel()).containsExactly("default/openai=gpt-4o-2024-11-20");
    assertThat(c.config().routes()).extracting(RouteConfig::model).as("the mock backend exposes nothing")
        .containsExactlyInAnyOrder("chat", "openai/gpt-4o");
    BackendOutcome backend = c.backend(new ResourceRef(ChatBackend.KIND, "default", "openai")).orElseThrow();
    assertThat(backend.exposed()).containsExactly("openai/gpt-4o");
    assertThat(backend.exposeConflicts()).singleElement().satisfies(p -> assertThat(p.message())
        .isEqualTo("model name \"openai/mini\" is already served by the older ModelRoute default/older"));
    RouteOutcome younger = c.route(new ResourceRef(ModelRoute.KIND, "default", "younger")).orElseThrow();
    assertThat(younger.reason()).isEqualTo(Reasons.CONFLICT);
    assertThat(younger.message()).isEqualTo("model name \"openai/gpt-4o\" is already served by the older ChatBackend (exposeModels) default/openai");
    assertThat(dev.switchboard.config.RoutingConfigValidator.problems(c.config())).isEmpty();
  }

  @Test
  void theClaudeCodeExampleCompilesToOneFailoverRouteWithItsAlias() {
    Compilation c = TestManifests.compile(TestManifests.reader().read(dev.switchboard.RepoFiles.path("examples/claude-code")));
    RouteConfig route = c.config().routes().get(0);
    assertThat(route.model()).isEqualTo("coder");
    assertThat(route.aliases()).containsExactly("claude-haiku-4-5");
    assertThat(route.targets()).extracting(t -> t.backend() + "=" + t.upstreamModel())
        .containsExactly("default/openai=gpt-5.1", "default/gemini=gemini-3-pro-preview");
  }

  @Test
  void theSameResourcesInAnyOrderGiveTheSameVersion() {
    ManifestSet set = TestManifests.reader().read(dev.switchboard.RepoFiles.path("examples/openai-compatible"));
    Compilation first = TestManifests.compile(set);
    List<ChatBackend> backends = new ArrayList<>(set.backends());
    List<ModelRoute> routes = new ArrayList<>(set.routes());
    Collections.reverse(backends);
    Collections.reverse(routes);
    Compilation second = TestManifests.COMPILER.compile(backends, routes, set.secretLookup());
    assertThat(second.config()).isEqualTo(first.config());
    assertThat(second.config().version()).startsWith("sha256:").hasSize(23).isEqualTo(first.config().version());
  }

  @Test
  void rotatingAKeyChangesTheVersion() {
    ManifestSet set = TestManifests.read(SECRET + OPENAI.replace("---", ""));
    Compilation before = TestManifests.compile(set);
    Compilation after = TestManifests.COMPILER.compile(set.backends(), set.routes(),
        SecretLookup.of(Map.of("default/keys", Map.of("openai", SecretValue.of("sk-two")))));
    assertThat(after.config().version()).isNotEqualTo(before.config().version());
  }

  @Test
  void theOlderRouteKeepsAContestedNameWhateverTheInputOrder() {
    ManifestSet set = TestManifests.read(SECRET + OPENAI + """
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: newer, creationTimestamp: "2026-03-01T00:00:00Z"}
        spec: {model: chat, targets: [{backendRef: {name: openai}, model: gpt-4o}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: older, creationTimestamp: "2026-01-01T00:00:00Z"}
        spec: {model: chat, targets: [{backendRef: {name: openai}, model: gpt-4o}]}
        """);
    Compilation c = TestManifests.compile(set);
    RouteOutcome newer = c.route(new ResourceRef("ModelRoute", "default", "newer")).orElseThrow();
    RouteOutcome older = c.route(new ResourceRef("ModelRoute", "default", "older")).orElseThrow();
    assertThat(older.accepted()).isTrue();
    assertThat(older.served()).isTrue();
    assertThat(newer.accepted()).isFalse();
    assertThat(newer.reason()).isEqualTo(Reasons.CONFLICT);
    assertThat(newer.message()).isEqualTo("model name \"chat\" is already served by the older ModelRoute default/older");
    assertThat(c.config().route("chat").orElseThrow().name()).isEqualTo("older");
  }

  @Test
  void partlyResolvedRoutesAreServedWithTheirGoodTargets() {
    Compilation c = TestManifests.compile(SECRET + OPENAI + """
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: r}
        spec:
          model: chat
          targets:
            - {backendRef: {name: gone}, model: gpt-4o}
            - {backendRef: {name: openai}, model: gpt-4o, priority: 1}
        """);
    RouteOutcome outcome = c.route(new ResourceRef("ModelRoute", "default", "r")).orElseThrow();
    assertThat(outcome.accepted()).isTrue();
    assertThat(outcome.served()).isTrue();
    assertThat(outcome.refsResolved()).isFalse();
    assertThat(outcome.refsReason()).isEqualTo(Reasons.BACKEND_NOT_FOUND);
    assertThat(outcome.targets()).extracting(TargetOutcome::resolved).containsExactly(false, true);
    assertThat(c.config().route("chat").orElseThrow().targets()).hasSize(1);
  }

  @Test
  void aResourceThatSkippedAdmissionIsStillJudgedByTheCrdRules() {
    ChatBackend backend = new ChatBackend();
    backend.setMetadata(new ObjectMetaBuilder().withName("raw").withNamespace("ns").withGeneration(4L).build());
    backend.setSpec(new ChatBackendSpec(Provider.AZURE_OPENAI, null, null, null, null, null,
        List.of(new ModelSpec("m", null, null, null, null, null)), null, null, null, null, null, null, null, null, null));
    Compilation c = TestManifests.COMPILER.compile(List.of(backend), List.of(), SecretLookup.none());
    BackendOutcome outcome = c.backends().get(0);
    assertThat(outcome.accepted()).isFalse();
    assertThat(outcome.generation()).isEqualTo(4);
    assertThat(outcome.reason()).isEqualTo(Reasons.INVALID_SPEC);
    assertThat(outcome.problems()).extracting(Problem::detail).containsExactly(
        "spec: url is required for provider azure-openai: it has no public default",
        "spec: credentials.secretRef is required for provider azure-openai",
        "spec: azure (apiVersion and deployments) is required for provider azure-openai");
    assertThat(c.config().backends()).isEmpty();
  }

  @Test
  void aResourceWithoutSpecIsRejectedNotCrashedOn() {
    ModelRoute route = new ModelRoute();
    route.setMetadata(new ObjectMetaBuilder().withName("empty").build());
    Compilation c = TestManifests.COMPILER.compile(List.of(), List.of(route), SecretLookup.none());
    assertThat(c.problems()).extracting(Problem::toString).containsExactly("ModelRoute default/empty: spec: Required value");
  }

  @Test
  void backendsNoRouteUsesAreStillCompiledSoProxiesProbeThem() {
    Compilation c = TestManifests.compile(SECRET + OPENAI.replace("---", ""));
    assertThat(c.problems()).isEmpty();
    assertThat(c.config().routes()).isEmpty();
    assertThat(c.config().backends()).extracting(BackendConfig::id).containsExactly("default/openai");
    assertThat(c.backend(new ResourceRef("ChatBackend", "default", "openai")).map(BackendOutcome::accepted)).isEqualTo(Optional.of(true));
  }
}
