package dev.switchboard.config;

import dev.switchboard.api.v1alpha1.Capability;
import java.util.List;

import java.time.Duration;

/** Background probing of a backend. */
public record HealthCheckConfig(boolean enabled, Duration interval, Duration timeout, List<Capability> capabilities,
    Duration capabilityInterval) {
  public static final Duration DEFAULT_CAPABILITY_INTERVAL = Duration.ofHours(6);
  public static final HealthCheckConfig DEFAULTS = new HealthCheckConfig(true, Duration.ofSeconds(30), Duration.ofSeconds(5), List.of(),
      DEFAULT_CAPABILITY_INTERVAL);

  public HealthCheckConfig {
    capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    capabilityInterval = capabilityInterval == null ? DEFAULT_CAPABILITY_INTERVAL : capabilityInterval;
  }
}
