package dev.switchboard.proxy.routing;

import dev.switchboard.api.v1alpha1.Capability;
import dev.switchboard.proxy.capability.CapabilityBook;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Targets in their strategy's order, those whose model failed a check the request needs moved
 * behind the others (never-checked counts as able). Pure over the book's verdicts.
 *
 * @param ordered able targets first, then the failing ones, each group in the order it came
 * @param failed for each failing target, the needed capabilities it failed
 */
record CapabilityOrder(List<TargetState> ordered, Map<TargetState, Set<Capability>> failed) {
  static CapabilityOrder of(List<TargetState> candidates, Set<Capability> needs, CapabilityBook book) {
    List<TargetState> able = new ArrayList<>(candidates.size());
    List<TargetState> failing = new ArrayList<>();
    Map<TargetState, Set<Capability>> failed = new LinkedHashMap<>();
    for (TargetState t : candidates) {
      Set<Capability> missing = EnumSet.noneOf(Capability.class);
      for (Capability c : needs) {
        if (book.failed(t.backend().id(), t.config().model(), c)) {
          missing.add(c);
        }
      }
      if (missing.isEmpty()) {
        able.add(t);
      } else {
        failing.add(t);
        failed.put(t, missing);
      }
    }
    able.addAll(failing);
    return new CapabilityOrder(able, failed);
  }

  /** Whether every candidate failed something the request needs. */
  boolean noneAble() {
    return !ordered.isEmpty() && failed.size() == ordered.size();
  }

  /** The 400 message of a route that requires capabilities: each capability and the targets that failed it. */
  String refusal(String route) {
    Map<Capability, List<String>> byCapability = new LinkedHashMap<>();
    failed.forEach((t, caps) -> caps.forEach(c -> byCapability.computeIfAbsent(c, k -> new ArrayList<>())
        .add(t.backend().id() + " model " + t.config().model())));
    List<String> parts = new ArrayList<>();
    byCapability.forEach((c, targets) -> parts.add("'" + c.wireName() + "' (failed its check on " + String.join(", ", targets) + ")"));
    return "The request needs " + String.join(" and ", parts) + ", and route " + route
        + " requires verified capabilities (spec.requireCapabilities), so it is not sent to a target that failed the check.";
  }
}
