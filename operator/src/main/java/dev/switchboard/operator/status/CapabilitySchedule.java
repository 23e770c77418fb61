package dev.switchboard.operator.status;

import dev.switchboard.api.v1alpha1.Capability;
import dev.switchboard.api.v1alpha1.CapabilityStatus;
import dev.switchboard.api.v1alpha1.ChatBackend;
import dev.switchboard.api.v1alpha1.ModelType;
import dev.switchboard.compiler.ResourceRef;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.RoutingConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When a ChatBackend's capability checks are due, and what its status keeps of them. Pure. A
 * backend is due when a listed capability of a chat model has no check yet, or its oldest check
 * is older than {@code capabilityInterval}; a run that reached no verdict (the provider down) is
 * tried again after {@link #RETRY} at the soonest, so a dead provider is not asked every round.
 */
public final class CapabilitySchedule {
  static final Duration RETRY = Duration.ofMinutes(5);

  private CapabilitySchedule() {}

  /** The ids of the accepted backends whose checks are due. */
  public static List<String> due(List<ChatBackend> backends, RoutingConfig config, Map<String, Instant> attempted, Instant now) {
    List<String> due = new ArrayList<>();
    for (ChatBackend backend : backends) {
      String id = ResourceRef.of(backend).id();
      Optional<BackendConfig> c = config.backend(id);
      if (c.isEmpty() || c.get().healthCheck().capabilities().isEmpty()) {
        continue;
      }
      Duration interval = c.get().healthCheck().capabilityInterval();
      Instant last = attempted.get(id);
      if (last != null && now.isBefore(last.plus(interval.compareTo(RETRY) < 0 ? interval : RETRY))) {
        continue;
      }
      List<CapabilityStatus> recorded = backend.getStatus() == null || backend.getStatus().capabilities() == null
          ? List.of() : backend.getStatus().capabilities();
      Optional<Instant> oldest = oldest(expected(c.get()), recorded);
      if (oldest.isEmpty() || !now.isBefore(oldest.get().plus(interval))) {
        due.add(id);
      }
    }
    return due;
  }

  /** The checks a backend's spec asks for: each listed capability of each chat model. */
  static List<Map.Entry<String, Capability>> expected(BackendConfig config) {
    List<Map.Entry<String, Capability>> out = new ArrayList<>();
    for (ModelConfig m : config.models()) {
      if (m.type() == ModelType.CHAT) {
        config.healthCheck().capabilities().forEach(c -> out.add(Map.entry(m.name(), c)));
      }
    }
    return out;
  }

  /** The oldest check among the expected ones; empty when one was never checked. */
  private static Optional<Instant> oldest(List<Map.Entry<String, Capability>> expected, List<CapabilityStatus> recorded) {
    Instant oldest = null;
    for (Map.Entry<String, Capability> e : expected) {
      Optional<Instant> at = recorded.stream().filter(s -> e.getKey().equals(s.model()) && e.getValue() == s.capability())
          .findFirst().flatMap(s -> parse(s.lastChecked()));
      if (at.isEmpty()) {
        return Optional.empty();
      }
      oldest = oldest == null || at.get().isBefore(oldest) ? at.get() : oldest;
    }
    return Optional.ofNullable(oldest);
  }

  /**
   * What the status keeps: the newest check of each expected (model, capability), from {@code
   * fresh} where it has one, else from {@code previous}; checks the spec no longer asks for are
   * dropped. Null when the spec asks for none (the field is left out).
   */
  public static List<CapabilityStatus> merge(List<CapabilityStatus> previous, List<CapabilityStatus> fresh, Optional<BackendConfig> config) {
    if (config.isEmpty() || config.get().healthCheck().capabilities().isEmpty()) {
      return null;
    }
    Map<String, CapabilityStatus> kept = new LinkedHashMap<>();
    for (List<CapabilityStatus> source : List.of(previous == null ? List.<CapabilityStatus>of() : previous, fresh)) {
      for (CapabilityStatus s : source) {
        kept.put(s.model() + "\u0000" + s.capability(), s);
      }
    }
    List<CapabilityStatus> out = new ArrayList<>();
    for (Map.Entry<String, Capability> e : expected(config.get())) {
      CapabilityStatus s = kept.get(e.getKey() + "\u0000" + e.getValue());
      if (s != null) {
        out.add(s);
      }
    }
    out.sort(Comparator.comparing(CapabilityStatus::model).thenComparing(s -> s.capability().wireName()));
    return out.isEmpty() ? null : out;
  }

  private static Optional<Instant> parse(String time) {
    try {
      return time == null ? Optional.empty() : Optional.of(Instant.parse(time));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
