package dev.switchboard.operator.status;

import dev.switchboard.api.v1alpha1.ChatBackend;
import dev.switchboard.api.v1alpha1.ChatBackendStatus;
import dev.switchboard.api.v1alpha1.Condition;
import dev.switchboard.api.v1alpha1.Connectivity;
import dev.switchboard.compiler.BackendOutcome;
import dev.switchboard.compiler.Compilation;
import dev.switchboard.compiler.ResourceRef;
import dev.switchboard.config.BackendConfig;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The desired status of a ChatBackend, from the latest compilation and the proxies' probes. Pure.
 *
 * <ul>
 *   <li>Accepted: the compiler's verdict (Unknown, reason Pending, until the backend was compiled).
 *   <li>Reachable: True when a proxy's probe reached it; False with the probe's reason when every
 *       reporting proxy failed; Unknown while no proxy has reported, or when probes are off.
 *   <li>Ready: Accepted and Reachable (or Accepted with probes off); it says what the backend would
 *       do, so it is not changed by suspension.
 *   <li>Suspended: whether spec.suspended takes it out of service.
 *   <li>ModelsExposed (with spec.exposeModels only): the {@code <backend>/<model>} names served, or
 *       False with reason Conflict naming those an older claim holds.
 * </ul>
 */
public final class BackendStatuses {
  public static final String ACCEPTED = "Accepted";
  public static final String REACHABLE = "Reachable";
  public static final String READY = "Ready";
  public static final String SUSPENDED = "Suspended";
  public static final String MODELS_EXPOSED = "ModelsExposed";

  private BackendStatuses() {}

  public static ChatBackendStatus desired(ChatBackend backend, Compilation compilation, Optional<BackendConnectivity> connectivity,
      String checkRequest, Instant now) {
    return desired(backend, compilation, connectivity, checkRequest, List.of(), now);
  }

  /** @param checked capability checks newer than the status's (the status keeps the rest) */
  public static ChatBackendStatus desired(ChatBackend backend, Compilation compilation, Optional<BackendConnectivity> connectivity,
      String checkRequest, List<dev.switchboard.api.v1alpha1.CapabilityStatus> checked, Instant now) {
    ResourceRef ref = ResourceRef.of(backend);
    Optional<BackendOutcome> outcome = compilation.backend(ref);
    long generation = outcome.map(BackendOutcome::generation).orElse(generation(backend));
    Condition accepted = outcome
        .map(o -> Conditions.of(ACCEPTED, o.accepted() ? Condition.TRUE : Condition.FALSE, o.reason(), o.message(), generation))
        .orElse(Conditions.of(ACCEPTED, Condition.UNKNOWN, "Pending", "waiting to be compiled", generation));
    boolean probing = compilation.config().backend(ref.id()).map(BackendConfig::healthCheck).map(h -> h.enabled()).orElse(true);
    Condition reachable = reachable(accepted, probing, connectivity, generation);
    Condition ready = ready(accepted, reachable, generation);
    Connectivity conn = connectivity.filter(c -> accepted.isTrue())
        .map(c -> new Connectivity(c.reachable(), c.reporting(), c.latencyMillis().orElse(null),
            c.lastProbeTime().map(Instant::toString).orElse(null), c.lastError().isEmpty() ? null : c.lastError()))
        .orElse(null);
    List<String> models = connectivity.filter(c -> accepted.isTrue() && !c.discoveredModels().isEmpty())
        .map(BackendConnectivity::discoveredModels).orElse(null);
    ChatBackendStatus previous = backend.getStatus();
    List<Condition> desired = new java.util.ArrayList<>(List.of(accepted, reachable, ready, suspended(backend, generation)));
    exposed(backend, outcome, generation).ifPresent(desired::add);
    List<Condition> conditions = Conditions.merge(previous == null ? List.of() : previous.conditions(), desired, now);
    List<dev.switchboard.api.v1alpha1.CapabilityStatus> capabilities = accepted.isTrue()
        ? CapabilitySchedule.merge(previous == null ? null : previous.capabilities(), checked, compilation.config().backend(ref.id()))
        : null;
    return new ChatBackendStatus(generation, conditions, conn, models, checkRequest, capabilities);
  }

  /** Suspended: True while spec.suspended is true (routes skip it; probes and Ready go on, so status shows what it would be). */
  private static Condition suspended(ChatBackend backend, long gen) {
    boolean on = backend.getSpec() != null && backend.getSpec().suspendedOrFalse();
    return on
        ? Conditions.of(SUSPENDED, Condition.TRUE, "Suspended", "spec.suspended is true: no new requests; probes continue", gen)
        : Conditions.of(SUSPENDED, Condition.FALSE, "Active", "the backend takes requests", gen);
  }

  /** ModelsExposed, only with spec.exposeModels: the names served, or the ones an older claim holds. */
  private static Optional<Condition> exposed(ChatBackend backend, Optional<BackendOutcome> outcome, long gen) {
    if (backend.getSpec() == null || !Boolean.TRUE.equals(backend.getSpec().exposeModels()) || outcome.isEmpty()
        || !outcome.get().accepted()) {
      return Optional.empty();
    }
    BackendOutcome o = outcome.get();
    if (!o.exposeConflicts().isEmpty()) {
      return Optional.of(Conditions.of(MODELS_EXPOSED, Condition.FALSE, dev.switchboard.compiler.Reasons.CONFLICT,
          String.join("; ", o.exposeConflicts().stream().map(p -> p.message()).toList())
              + (o.exposed().isEmpty() ? "" : "; serving " + String.join(", ", o.exposed())), gen));
    }
    return Optional.of(Conditions.of(MODELS_EXPOSED, Condition.TRUE, "Exposed", "clients may call " + String.join(", ", o.exposed()), gen));
  }

  private static Condition reachable(Condition accepted, boolean probing, Optional<BackendConnectivity> connectivity, long gen) {
    if (!accepted.isTrue()) {
      return Conditions.of(REACHABLE, Condition.UNKNOWN, "NotAccepted", "not probed: the backend is not accepted", gen);
    }
    if (!probing) {
      return Conditions.of(REACHABLE, Condition.UNKNOWN, "ProbesDisabled", "healthCheck.enabled is false", gen);
    }
    if (connectivity.isEmpty() || connectivity.get().reporting() == 0) {
      return Conditions.of(REACHABLE, Condition.UNKNOWN, "AwaitingProbe", "no proxy has probed the backend yet", gen);
    }
    BackendConnectivity c = connectivity.get();
    String of = c.reachable() + " of " + c.reporting() + (c.reporting() == 1 ? " proxy" : " proxies");
    if (c.reachable() > 0) {
      String latency = c.latencyMillis().map(l -> ", median probe latency " + l + " ms").orElse("");
      return Conditions.of(REACHABLE, Condition.TRUE, "Reachable", "reachable from " + of + latency, gen);
    }
    String reason = c.reason().isEmpty() ? "Unreachable" : c.reason();
    return Conditions.of(REACHABLE, Condition.FALSE, reason, "reachable from " + of
        + (c.lastError().isEmpty() ? "" : ": " + c.lastError()), gen);
  }

  private static Condition ready(Condition accepted, Condition reachable, long gen) {
    if (!accepted.isTrue()) {
      return Conditions.of(READY, accepted.status(), accepted.reason(), accepted.message(), gen);
    }
    if (reachable.isTrue()) {
      return Conditions.of(READY, Condition.TRUE, "Ready", "accepted and " + reachable.message(), gen);
    }
    if ("ProbesDisabled".equals(reachable.reason())) {
      return Conditions.of(READY, Condition.TRUE, "ProbesDisabled", "accepted; reachability is not checked because probes are off", gen);
    }
    return Conditions.of(READY, reachable.status(), reachable.reason(), reachable.message(), gen);
  }

  /** The Ready verdict routes use for their targets, computed the same way. */
  public static Readiness readiness(String backendId, Compilation compilation, Optional<BackendConnectivity> connectivity) {
    int slash = backendId.indexOf('/');
    ResourceRef ref = new ResourceRef(ChatBackend.KIND, backendId.substring(0, slash), backendId.substring(slash + 1));
    Optional<BackendOutcome> outcome = compilation.backend(ref);
    Condition accepted = outcome
        .map(o -> Conditions.of(ACCEPTED, o.accepted() ? Condition.TRUE : Condition.FALSE, o.reason(), o.message(), 0))
        .orElse(Conditions.of(ACCEPTED, Condition.UNKNOWN, "Pending", "waiting to be compiled", 0));
    boolean probing = compilation.config().backend(backendId).map(b -> b.healthCheck().enabled()).orElse(true);
    Condition ready = ready(accepted, reachable(accepted, probing, connectivity, 0), 0);
    return new Readiness(ready.status(), ready.reason(), ready.message());
  }

  private static long generation(ChatBackend backend) {
    Long g = backend.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }
}
