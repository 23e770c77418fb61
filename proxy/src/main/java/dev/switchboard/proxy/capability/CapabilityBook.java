package dev.switchboard.proxy.capability;

import dev.switchboard.api.v1alpha1.Capability;
import dev.switchboard.config.CapabilityVerdict;
import dev.switchboard.config.RoutingConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this proxy knows of each backend model's capability checks: from the config (in cluster
 * mode the operator records one proxy's checks in the ChatBackend's status and every proxy gets
 * them in the config) or from this proxy's own checks (local mode, or {@code POST
 * /admin/capabilities/check}). A model never checked counts as able.
 */
public final class CapabilityBook {
  private record Key(String backend, String model, Capability capability) {}

  private final Map<Key, CapabilityVerdict> verdicts = new ConcurrentHashMap<>();
  private volatile boolean anyFailed;

  /** Takes the verdicts a new config carries; a backend the config says nothing about keeps what this proxy found. */
  public void load(RoutingConfig config) {
    Set<String> carried = new java.util.HashSet<>();
    config.capabilities().forEach(v -> carried.add(v.backend()));
    // What the spec no longer asks for (a backend, model or capability taken out) is not routed by.
    verdicts.keySet().removeIf(k -> carried.contains(k.backend()) || config.backend(k.backend())
        .filter(b -> b.model(k.model()).isPresent() && b.healthCheck().capabilities().contains(k.capability())).isEmpty());
    config.capabilities().forEach(this::put);
    refresh();
  }

  /** Records checks just run. */
  public void record(List<CapabilityVerdict> results) {
    results.forEach(this::put);
    refresh();
  }

  private void put(CapabilityVerdict v) {
    verdicts.put(new Key(v.backend(), v.model(), v.capability()), v);
  }

  private void refresh() {
    anyFailed = verdicts.values().stream().anyMatch(v -> !v.verified());
  }

  /** Whether any check failed at all: when none did, routing has nothing to reorder (the common case, and free). */
  public boolean anyFailed() {
    return anyFailed;
  }

  /** Whether {@code model} of {@code backend} failed the last check of {@code capability}. */
  public boolean failed(String backend, String model, Capability capability) {
    CapabilityVerdict v = verdicts.get(new Key(backend, model, capability));
    return v != null && !v.verified();
  }

  /** A backend's verdicts, by model and capability. */
  public List<CapabilityVerdict> of(String backend) {
    List<CapabilityVerdict> out = new ArrayList<>();
    verdicts.values().stream().filter(v -> v.backend().equals(backend)).forEach(out::add);
    out.sort(Comparator.comparing(CapabilityVerdict::model).thenComparing(v -> v.capability().wireName()));
    return out;
  }
}
