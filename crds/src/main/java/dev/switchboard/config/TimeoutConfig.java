package dev.switchboard.config;

import java.time.Duration;

/** Connect, whole-request (and first byte) and stream-idle timeouts. */
public record TimeoutConfig(Duration connect, Duration request, Duration streamIdle) {
  public static final TimeoutConfig DEFAULTS =
      new TimeoutConfig(Duration.ofSeconds(5), Duration.ofSeconds(300), Duration.ofSeconds(60));
}
