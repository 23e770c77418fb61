package dev.switchboard.compiler;

import dev.switchboard.api.v1alpha1.BackendApi;
import dev.switchboard.api.v1alpha1.AzureSpec;
import dev.switchboard.api.v1alpha1.ChatBackendSpec;
import dev.switchboard.api.v1alpha1.ModelSpec;
import dev.switchboard.api.v1alpha1.ModelType;
import dev.switchboard.api.v1alpha1.Provider;
import dev.switchboard.api.v1alpha1.ReasoningSummary;
import dev.switchboard.api.v1alpha1.SecretKeyRef;
import dev.switchboard.config.AzureConfig;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.Durations;
import dev.switchboard.config.HealthCheckConfig;
import dev.switchboard.config.LimitConfig;
import dev.switchboard.config.MockConfig;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ModelPrice;
import dev.switchboard.config.SecretValue;
import dev.switchboard.config.TimeoutConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/** Turns one valid ChatBackend spec into a {@link BackendConfig}, resolving its Secret and defaults. */
final class BackendCompiler {
  private final SecretLookup secrets;

  BackendCompiler(SecretLookup secrets) {
    this.secrets = secrets;
  }

  /** The backend's config, or the problems that keep it out. The spec has passed schema validation. */
  Result compile(ResourceRef ref, ChatBackendSpec spec) {
    List<Problem> problems = new ArrayList<>();
    SecretValue apiKey = SecretValue.empty();
    if (spec.credentials() != null) {
      apiKey = resolveKey(ref, spec.credentials().secretRef(), problems);
    }
    ConnectionCompiler connection = new ConnectionCompiler(secrets);
    Optional<dev.switchboard.config.BackendTls> tls = connection.tls(ref, spec.tls(), problems);
    Optional<dev.switchboard.config.BackendEgress> egress = connection.egress(ref, spec.proxy(), problems);
    if (!problems.isEmpty()) {
      return new Result(Optional.empty(), problems);
    }
    Provider provider = spec.provider();
    String url = Optional.ofNullable(spec.url()).or(provider::defaultUrl).orElse("");
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    Optional<AzureConfig> azure = Optional.ofNullable(spec.azure()).map(a -> new AzureConfig(a.apiVersion()));
    // azure.api and azure.reasoningSummary are the older spellings; the schema refuses the two disagreeing.
    BackendApi api = Optional.ofNullable(spec.api())
        .or(() -> Optional.ofNullable(spec.azure()).map(AzureSpec::api)).orElse(BackendApi.CHAT_COMPLETIONS);
    ReasoningSummary summary = Optional.ofNullable(spec.reasoningSummary())
        .or(() -> Optional.ofNullable(spec.azure()).map(AzureSpec::reasoningSummary)).orElse(ReasoningSummary.AUTO);
    Map<String, String> deployments = spec.azure() == null || spec.azure().deployments() == null
        ? Map.of() : spec.azure().deployments();
    List<ModelConfig> models = new ArrayList<>();
    for (ModelSpec m : spec.models()) {
      String upstream = provider == Provider.AZURE_OPENAI
          ? deployments.getOrDefault(m.name(), m.name())
          : Objects.requireNonNullElse(m.upstreamName(), m.name());
      models.add(new ModelConfig(
          m.name(),
          upstream,
          Objects.requireNonNullElse(m.type(), ModelType.CHAT),
          Optional.ofNullable(m.contextWindow()),
          Optional.ofNullable(m.maxOutputTokens()),
          Optional.ofNullable(m.pricing()).map(p -> new ModelPrice(
              zeroIfNull(p.input()), zeroIfNull(p.output()), zeroIfNull(p.cachedInput())))));
    }
    TimeoutConfig t = TimeoutConfig.DEFAULTS;
    if (spec.timeouts() != null) {
      t = new TimeoutConfig(
          Durations.parseOr(spec.timeouts().connect(), t.connect()),
          Durations.parseOr(spec.timeouts().request(), t.request()),
          Durations.parseOr(spec.timeouts().streamIdle(), t.streamIdle()));
    }
    LimitConfig limits = LimitConfig.UNLIMITED;
    if (spec.limits() != null) {
      limits = new LimitConfig(
          zeroIfNull(spec.limits().requestsPerMinute()),
          zeroIfNull(spec.limits().tokensPerMinute()),
          zeroIfNull(spec.limits().maxConcurrent()));
    }
    HealthCheckConfig health = HealthCheckConfig.DEFAULTS;
    if (spec.healthCheck() != null) {
      health = new HealthCheckConfig(
          !Boolean.FALSE.equals(spec.healthCheck().enabled()),
          Durations.parseOr(spec.healthCheck().interval(), health.interval()),
          Durations.parseOr(spec.healthCheck().timeout(), health.timeout()),
          spec.healthCheck().capabilities() == null ? List.of() : spec.healthCheck().capabilities().stream().distinct().toList(),
          Durations.parseOr(spec.healthCheck().capabilityInterval(), health.capabilityInterval()));
    }
    Optional<MockConfig> mock = Optional.empty();
    if (provider == Provider.MOCK) {
      MockConfig d = MockConfig.DEFAULTS;
      mock = Optional.of(spec.mock() == null ? d : new MockConfig(
          Objects.requireNonNullElse(spec.mock().response(), d.response()),
          Durations.parseOr(spec.mock().latency(), d.latency()),
          Durations.parseOr(spec.mock().chunkDelay(), d.chunkDelay()),
          Objects.requireNonNullElse(spec.mock().failurePercent(), d.failurePercent()),
          Objects.requireNonNullElse(spec.mock().failureStatus(), d.failureStatus())));
    }
    BackendConfig config = new BackendConfig(
        ref.id(), ref.namespace(), ref.name(), provider, url, apiKey, azure, api, summary, models, t, limits, health,
        spec.headers() == null ? Map.of() : spec.headers(), mock, spec.suspendedOrFalse(), tls, egress);
    return new Result(Optional.of(config), List.of());
  }

  private SecretValue resolveKey(ResourceRef ref, SecretKeyRef secretRef, List<Problem> problems) {
    Optional<Map<String, SecretValue>> secret = secrets.find(ref.namespace(), secretRef.name());
    if (secret.isEmpty()) {
      problems.add(new Problem(ref, "spec.credentials.secretRef.name", Reasons.SECRET_NOT_FOUND,
          "Secret \"" + secretRef.name() + "\" not found in namespace \"" + ref.namespace() + "\""));
      return SecretValue.empty();
    }
    SecretValue value = secret.get().get(secretRef.key());
    if (value == null) {
      problems.add(new Problem(ref, "spec.credentials.secretRef.key", Reasons.SECRET_KEY_NOT_FOUND,
          "Secret \"" + secretRef.name() + "\" has no key \"" + secretRef.key() + "\" (its keys: "
              + String.join(", ", new TreeSet<>(secret.get().keySet())) + ")"));
      return SecretValue.empty();
    }
    // Keys written with `kubectl create secret --from-file` often end in a newline; providers
    // would answer 401 to it, so surrounding whitespace is never part of a key.
    String key = value.reveal().strip();
    if (key.isEmpty()) {
      problems.add(new Problem(ref, "spec.credentials.secretRef.key", Reasons.SECRET_KEY_NOT_FOUND,
          "key \"" + secretRef.key() + "\" of Secret \"" + secretRef.name() + "\" is empty"));
      return SecretValue.empty();
    }
    return SecretValue.of(key);
  }

  private static int zeroIfNull(Integer value) {
    return value == null ? 0 : value;
  }

  private static double zeroIfNull(Double value) {
    return value == null ? 0 : value;
  }

  record Result(Optional<BackendConfig> config, List<Problem> problems) {}
}
