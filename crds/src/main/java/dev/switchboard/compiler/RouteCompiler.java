package dev.switchboard.compiler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.v1alpha1.ModelRouteSpec;
import dev.switchboard.api.v1alpha1.ModelType;
import dev.switchboard.api.v1alpha1.RetryOn;
import dev.switchboard.api.v1alpha1.RetrySpec;
import dev.switchboard.api.v1alpha1.RouteTarget;
import dev.switchboard.api.v1alpha1.Strategy;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.Durations;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.RetryPolicy;
import dev.switchboard.config.RouteConfig;
import dev.switchboard.config.TargetConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks what a route's schema cannot, and resolves its targets against the accepted backends. */
final class RouteCompiler {
  /** Request fields that routing itself sets; a route may not override them. */
  static final Set<String> RESERVED_PARAMETERS = Set.of("model", "messages", "stream", "stream_options");

  private final Map<String, BackendConfig> acceptedBackends;
  private final Map<String, BackendOutcome> backendOutcomes;

  RouteCompiler(Map<String, BackendConfig> acceptedBackends, Map<String, BackendOutcome> backendOutcomes) {
    this.acceptedBackends = acceptedBackends;
    this.backendOutcomes = backendOutcomes;
  }

  /** Single-resource problems the CEL rules cannot express (free-form parameters, duration order). */
  List<Problem> checkSpec(ResourceRef ref, ModelRouteSpec spec) {
    List<Problem> problems = new ArrayList<>();
    checkParameters(ref, "spec.defaults", spec.defaults(), problems);
    for (int i = 0; i < spec.targets().size(); i++) {
      checkParameters(ref, "spec.targets[" + i + "].parameters", spec.targets().get(i).parameters(), problems);
    }
    if (spec.retry() != null && spec.retry().backoff() != null) {
      Duration base = Durations.parseOr(spec.retry().backoff().base(), RetryPolicy.DEFAULTS.backoffBase());
      Duration max = Durations.parseOr(spec.retry().backoff().max(), RetryPolicy.DEFAULTS.backoffMax());
      if (base.compareTo(max) > 0) {
        problems.add(new Problem(ref, "spec.retry.backoff", Reasons.INVALID_SPEC,
            "base (" + Durations.format(base) + ") must not be longer than max (" + Durations.format(max) + ")"));
      }
    }
    return problems;
  }

  private static void checkParameters(ResourceRef ref, String field, JsonNode parameters, List<Problem> problems) {
    if (parameters == null || parameters.isNull()) {
      return;
    }
    if (!parameters.isObject()) {
      problems.add(new Problem(ref, field, Reasons.INVALID_SPEC, "must be a mapping of request parameters"));
      return;
    }
    List<String> reserved = new ArrayList<>();
    parameters.fieldNames().forEachRemaining(name -> {
      if (RESERVED_PARAMETERS.contains(name)) {
        reserved.add(name);
      }
    });
    if (!reserved.isEmpty()) {
      problems.add(new Problem(ref, field, Reasons.INVALID_SPEC, "may not set " + String.join(", ", reserved)
          + ": the proxy sets model, messages, stream and stream_options itself"));
    }
  }

  /** Resolves every target; the route config exists when at least one resolved. */
  Resolution resolve(ResourceRef ref, ModelRouteSpec spec) {
    List<TargetOutcome> outcomes = new ArrayList<>();
    List<TargetConfig> usable = new ArrayList<>();
    ModelType routeType = null;
    for (int i = 0; i < spec.targets().size(); i++) {
      RouteTarget target = spec.targets().get(i);
      String backendName = target.backendRef().name();
      String modelName = Objects.requireNonNullElse(target.model(), spec.model());
      String backendId = ref.namespace() + "/" + backendName;
      BackendConfig backend = acceptedBackends.get(backendId);
      String failReason = null;
      String failMessage = null;
      Optional<ModelConfig> model = Optional.empty();
      if (backend == null) {
        BackendOutcome outcome = backendOutcomes.get(backendId);
        if (outcome == null) {
          failReason = Reasons.BACKEND_NOT_FOUND;
          failMessage = "ChatBackend \"" + backendName + "\" not found in namespace \"" + ref.namespace() + "\"";
        } else {
          failReason = Reasons.BACKEND_NOT_ACCEPTED;
          failMessage = "ChatBackend \"" + backendName + "\" is not accepted: " + outcome.message();
        }
      } else {
        model = backend.model(modelName);
        if (model.isEmpty()) {
          failReason = Reasons.MODEL_NOT_FOUND;
          failMessage = "ChatBackend \"" + backendName + "\" does not list model \"" + modelName + "\" (it lists: "
              + backend.models().stream().map(ModelConfig::name).collect(Collectors.joining(", ")) + ")";
        } else if (routeType != null && model.get().type() != routeType) {
          failReason = Reasons.MODEL_TYPE_MISMATCH;
          failMessage = "model \"" + modelName + "\" of ChatBackend \"" + backendName + "\" serves " + serves(model.get().type())
              + ", but this route's earlier targets serve " + serves(routeType);
        }
      }
      if (failReason != null) {
        outcomes.add(new TargetOutcome(i, backendName, modelName, false, failReason, failMessage));
        continue;
      }
      routeType = model.get().type();
      outcomes.add(new TargetOutcome(i, backendName, modelName, true, Reasons.RESOLVED_REFS, "resolved"));
      usable.add(new TargetConfig(
          backendId,
          modelName,
          model.get().upstreamName(),
          Objects.requireNonNullElse(target.priority(), 0),
          Objects.requireNonNullElse(target.weight(), 1),
          target.parameters() instanceof ObjectNode o ? o : null,
          Boolean.TRUE.equals(target.suspended())));
    }
    Optional<RouteConfig> config = Optional.empty();
    if (!usable.isEmpty()) {
      config = Optional.of(new RouteConfig(
          ref.id(),
          ref.namespace(),
          ref.name(),
          spec.model(),
          Objects.requireNonNullElse(spec.aliases(), List.of()),
          Objects.requireNonNullElse(spec.description(), ""),
          Objects.requireNonNullElse(spec.capabilities(), List.of()),
          routeType,
          Objects.requireNonNullElse(spec.strategy(), Strategy.FAILOVER),
          usable,
          retryPolicy(spec.retry()),
          spec.defaults() instanceof ObjectNode o ? o : null,
          Boolean.TRUE.equals(spec.dropUnsupportedParameters()),
          Boolean.TRUE.equals(spec.requireCapabilities())));
    }
    return new Resolution(config, outcomes);
  }

  private static String serves(ModelType type) {
    return type == ModelType.EMBEDDING ? "embeddings" : "chat completions";
  }

  private static RetryPolicy retryPolicy(RetrySpec retry) {
    RetryPolicy d = RetryPolicy.DEFAULTS;
    if (retry == null) {
      return d;
    }
    Duration base = d.backoffBase();
    Duration max = d.backoffMax();
    if (retry.backoff() != null) {
      base = Durations.parseOr(retry.backoff().base(), base);
      max = Durations.parseOr(retry.backoff().max(), max);
    }
    List<RetryOn> on = retry.retryOn() == null ? d.retryOn() : retry.retryOn();
    return new RetryPolicy(
        Objects.requireNonNullElse(retry.attempts(), d.attempts()),
        on,
        Optional.ofNullable(retry.perTryTimeout()).map(Durations::parse),
        base,
        max);
  }

  record Resolution(Optional<RouteConfig> config, List<TargetOutcome> targets) {}
}
