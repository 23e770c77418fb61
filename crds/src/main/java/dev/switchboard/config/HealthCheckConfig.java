package dev.switchboard.config;

import java.time.Duration;

/** Background probing of a backend. */
public record HealthCheckConfig(boolean enabled, Duration interval, Duration timeout) {
  public static final HealthCheckConfig DEFAULTS = new HealthCheckConfig(true, Duration.ofSeconds(30), Duration.ofSeconds(5));
}
