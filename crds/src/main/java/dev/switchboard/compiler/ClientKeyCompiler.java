package dev.switchboard.compiler;

import dev.switchboard.api.v1alpha1.BudgetPeriod;
import dev.switchboard.api.v1alpha1.ClientKey;
import dev.switchboard.api.v1alpha1.ClientKeySpec;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.BudgetConfig;
import dev.switchboard.config.ClientConfig;
import dev.switchboard.config.ClientKeys;
import dev.switchboard.config.LimitConfig;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.RouteConfig;
import dev.switchboard.config.SecretValue;
import dev.switchboard.config.TargetConfig;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Compiles one ClientKey whose spec passed schema validation: reads its key from the Secret
 * (its own, or the one the operator generates) and resolves what one resource cannot tell.
 */
final class ClientKeyCompiler {
  record Result(Optional<ClientConfig> config, String secretName, String keyHash, List<Problem> problems) {}

  private final SecretLookup secrets;

  ClientKeyCompiler(SecretLookup secrets) {
    this.secrets = secrets;
  }

  Result compile(ResourceRef ref, ClientKeySpec spec) {
    List<Problem> problems = new ArrayList<>();
    boolean generated = spec.secretRef() == null;
    String secretName = generated ? ClientKey.generatedSecretName(ref.name()) : spec.secretRef().name();
    String secretKey = generated ? ClientKey.GENERATED_SECRET_KEY : spec.secretRef().key();
    String key = "";
    Optional<Map<String, SecretValue>> secret = secrets.find(ref.namespace(), secretName);
    if (secret.isEmpty()) {
      problems.add(new Problem(ref, generated ? "spec" : "spec.secretRef.name", Reasons.SECRET_NOT_FOUND, generated
          ? "the generated key's Secret \"" + secretName + "\" does not exist yet (the operator creates it; in local mode give spec.secretRef)"
          : "Secret \"" + secretName + "\" not found in namespace \"" + ref.namespace() + "\""));
    } else {
      SecretValue value = secret.get().get(secretKey);
      key = value == null ? "" : value.reveal().strip(); // a trailing newline from --from-file is never part of a key
      if (key.isEmpty()) {
        problems.add(new Problem(ref, generated ? "spec" : "spec.secretRef.key", Reasons.SECRET_KEY_NOT_FOUND, value == null
            ? "Secret \"" + secretName + "\" has no key \"" + secretKey + "\" (its keys: "
                + String.join(", ", new TreeSet<>(secret.get().keySet())) + ")"
            : "key \"" + secretKey + "\" of Secret \"" + secretName + "\" is empty"));
      }
    }
    if (!problems.isEmpty()) {
      return new Result(Optional.empty(), secretName, "", problems);
    }
    LimitConfig limits = spec.limits() == null ? LimitConfig.UNLIMITED : new LimitConfig(
        zeroIfNull(spec.limits().requestsPerMinute()), zeroIfNull(spec.limits().tokensPerMinute()), zeroIfNull(spec.limits().maxConcurrent()));
    Optional<BudgetConfig> budget = Optional.ofNullable(spec.budget())
        .map(b -> new BudgetConfig(b.usd(), Objects.requireNonNullElse(b.period(), BudgetPeriod.MONTH)));
    Optional<Instant> expires = Optional.ofNullable(spec.expiresAt()).map(t -> OffsetDateTime.parse(t).toInstant());
    String hash = ClientKeys.hash(key);
    ClientConfig config = new ClientConfig(ref.id(), ref.namespace(), ref.name(), hash,
        Objects.requireNonNullElse(spec.models(), List.of()), limits, budget, Boolean.TRUE.equals(spec.disabled()), expires,
        Objects.requireNonNullElse(spec.allowedOrigins(), List.of()));
    return new Result(Optional.of(config), secretName, hash, List.of());
  }

  /** The client-facing models this client can reach through a target whose model has no pricing. */
  static List<String> unpriced(ClientConfig client, List<RouteConfig> routes, Map<String, BackendConfig> backends) {
    List<String> out = new ArrayList<>();
    for (RouteConfig route : routes) {
      if (!client.mayCall(route.names())) {
        continue;
      }
      for (TargetConfig t : route.targets()) {
        Optional<ModelConfig> model = Optional.ofNullable(backends.get(t.backend())).flatMap(b -> b.model(t.model()));
        if (model.flatMap(ModelConfig::price).isEmpty()) {
          out.add(route.model());
          break;
        }
      }
    }
    return out;
  }

  private static int zeroIfNull(Integer value) {
    return value == null ? 0 : value;
  }
}
