package dev.switchboard.operator.status;

import dev.switchboard.api.v1alpha1.Capability;
import dev.switchboard.config.CapabilityVerdict;
import java.util.Objects;

import dev.switchboard.api.v1alpha1.Condition;
import dev.switchboard.api.v1alpha1.ModelRoute;
import dev.switchboard.api.v1alpha1.ModelRouteStatus;
import dev.switchboard.api.v1alpha1.TargetStatus;
import dev.switchboard.compiler.Compilation;
import dev.switchboard.compiler.Reasons;
import dev.switchboard.compiler.ResourceRef;
import dev.switchboard.compiler.RouteOutcome;
import dev.switchboard.compiler.TargetOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The desired status of a ModelRoute. Pure.
 *
 * <ul>
 *   <li>Accepted: valid and owning its names (False with reason Conflict when an older route has one).
 *   <li>ResolvedRefs: every target names an accepted backend and one of its models.
 *   <li>Ready: served, with at least one target whose backend is Ready and that is not suspended
 *       (a suspended target, or one on a suspended backend, shows reason Suspended).
 *   <li>CapabilitiesVerified (when spec.capabilities names checkable ones): whether the backends'
 *       capability checks back them up.
 * </ul>
 */
public final class RouteStatuses {
  public static final String ACCEPTED = "Accepted";
  public static final String RESOLVED_REFS = "ResolvedRefs";
  public static final String READY = "Ready";
  public static final String SUSPENDED = "Suspended";
  public static final String CAPABILITIES_VERIFIED = "CapabilitiesVerified";

  private RouteStatuses() {}

  public static ModelRouteStatus desired(ModelRoute route, Compilation compilation, Function<String, Readiness> backendReadiness,
      Instant now) {
    ResourceRef ref = ResourceRef.of(route);
    Optional<RouteOutcome> found = compilation.route(ref);
    long generation = found.map(RouteOutcome::generation).orElse(generation(route));
    List<Condition> desired = new ArrayList<>();
    List<TargetStatus> targets = new ArrayList<>();
    if (found.isEmpty()) {
      desired.add(Conditions.of(ACCEPTED, Condition.UNKNOWN, "Pending", "waiting to be compiled", generation));
      desired.add(Conditions.of(RESOLVED_REFS, Condition.UNKNOWN, "Pending", "waiting to be compiled", generation));
      desired.add(Conditions.of(READY, Condition.UNKNOWN, "Pending", "waiting to be compiled", generation));
    } else {
      RouteOutcome o = found.get();
      desired.add(Conditions.of(ACCEPTED, o.accepted() ? Condition.TRUE : Condition.FALSE, o.reason(), o.message(), generation));
      desired.add(Conditions.of(RESOLVED_REFS, o.refsResolved() ? Condition.TRUE : Condition.FALSE, o.refsReason(),
          o.refsMessage(), generation));
      int ready = 0;
      int unknown = 0;
      int suspended = 0;
      for (TargetOutcome t : o.targets()) {
        if (!t.resolved()) {
          targets.add(new TargetStatus(t.backend(), t.model(), false, t.reason(), t.message()));
          continue;
        }
        Readiness r = backendReadiness.apply(ref.namespace() + "/" + t.backend());
        Optional<String> suspension = suspension(route, t, compilation, ref);
        if (suspension.isPresent()) {
          // Not counted as ready: it takes no new requests. What it would be is kept in the message.
          targets.add(new TargetStatus(t.backend(), t.model(), false, SUSPENDED, suspension.get() + "; its backend is otherwise "
              + (r.isTrue() ? "ready" : r.reason())));
          suspended++;
          continue;
        }
        targets.add(new TargetStatus(t.backend(), t.model(), r.isUnknown() ? null : r.isTrue(), r.reason(), r.message()));
        if (r.isTrue()) {
          ready++;
        } else if (r.isUnknown()) {
          unknown++;
        }
      }
      int usable = (int) o.targets().stream().filter(TargetOutcome::resolved).count();
      if (!o.accepted()) {
        desired.add(Conditions.of(READY, Condition.FALSE, o.reason(), "the route is not accepted: " + o.message(), generation));
      } else if (!o.served()) {
        desired.add(Conditions.of(READY, Condition.FALSE, Reasons.NO_USABLE_TARGETS, "no target resolved: " + o.refsMessage(), generation));
      } else if (ready > 0) {
        desired.add(Conditions.of(READY, Condition.TRUE, "Ready", ready + " of " + usable + " targets ready", generation));
      } else if (suspended == usable) {
        desired.add(Conditions.of(READY, Condition.FALSE, SUSPENDED, "every target is suspended (the target, or its ChatBackend)", generation));
      } else if (unknown > 0) {
        desired.add(Conditions.of(READY, Condition.UNKNOWN, "AwaitingProbe", "no target is known to be ready yet", generation));
      } else {
        desired.add(Conditions.of(READY, Condition.FALSE, "NoReadyTargets", "none of the " + usable + " targets' backends is ready", generation));
      }
    }
    found.flatMap(o -> capabilitiesVerified(route, o, compilation, ref, generation)).ifPresent(desired::add);
    ModelRouteStatus previous = route.getStatus();
    return new ModelRouteStatus(generation, Conditions.merge(previous == null ? List.of() : previous.conditions(), desired, now),
        targets.isEmpty() ? null : targets);
  }

  /**
   * CapabilitiesVerified, only when spec.capabilities names capabilities that checks can prove:
   * False (CapabilityFailed) when one failed its check on every target, True when each passed on
   * at least one, Unknown (NotChecked) while some has not been checked on any target.
   */
  private static Optional<Condition> capabilitiesVerified(ModelRoute route, RouteOutcome o, Compilation compilation, ResourceRef ref,
      long generation) {
    List<Capability> listed = new ArrayList<>();
    Objects.requireNonNullElse(route.getSpec().capabilities(), List.<String>of())
        .forEach(word -> Capability.of(word).ifPresent(listed::add));
    if (listed.isEmpty() || !o.served()) {
      return Optional.empty();
    }
    List<TargetOutcome> targets = o.targets().stream().filter(TargetOutcome::resolved).toList();
    List<String> failures = new ArrayList<>();
    List<String> unchecked = new ArrayList<>();
    for (Capability c : listed) {
      List<String> failedOn = new ArrayList<>();
      boolean verified = false;
      for (TargetOutcome t : targets) {
        Optional<CapabilityVerdict> v = compilation.config().capabilities().stream()
            .filter(x -> x.backend().equals(ref.namespace() + "/" + t.backend()) && x.model().equals(t.model()) && x.capability() == c)
            .findFirst();
        if (v.isPresent() && v.get().verified()) {
          verified = true;
        } else if (v.isPresent()) {
          failedOn.add(t.backend() + " model " + t.model() + " (" + v.get().reason() + ")");
        }
      }
      if (!targets.isEmpty() && failedOn.size() == targets.size()) {
        failures.add(c.wireName() + " failed its check on every target: " + String.join(", ", failedOn));
      } else if (!verified) {
        unchecked.add(c.wireName());
      }
    }
    if (!failures.isEmpty()) {
      return Optional.of(Conditions.of(CAPABILITIES_VERIFIED, Condition.FALSE, "CapabilityFailed", String.join("; ", failures), generation));
    }
    if (!unchecked.isEmpty()) {
      return Optional.of(Conditions.of(CAPABILITIES_VERIFIED, Condition.UNKNOWN, "NotChecked", "no target's check has proven "
          + String.join(", ", unchecked) + " yet (list it in the ChatBackends' spec.healthCheck.capabilities)", generation));
    }
    return Optional.of(Conditions.of(CAPABILITIES_VERIFIED, Condition.TRUE, "Verified",
        listed.stream().map(Capability::wireName).collect(java.util.stream.Collectors.joining(", ")) + " passed on at least one target",
        generation));
  }

  /** Why a resolved target takes no new requests: suspended in this route, or its ChatBackend suspended. */
  private static Optional<String> suspension(ModelRoute route, TargetOutcome t, Compilation compilation, ResourceRef ref) {
    var spec = route.getSpec().targets().get(t.index());
    if (Boolean.TRUE.equals(spec.suspended())) {
      return Optional.of("the target is suspended in this route");
    }
    boolean backend = compilation.config().backend(ref.namespace() + "/" + t.backend()).map(b -> b.suspended()).orElse(false);
    return backend ? Optional.of("ChatBackend " + t.backend() + " is suspended") : Optional.empty();
  }

  private static long generation(ModelRoute route) {
    Long g = route.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }
}
