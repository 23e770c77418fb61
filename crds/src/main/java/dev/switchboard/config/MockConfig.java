package dev.switchboard.config;

import java.time.Duration;

/**
 * The in-process mock provider's behaviour.
 *
 * @param response fixed reply; empty means echo the last user message
 */
public record MockConfig(String response, Duration latency, Duration chunkDelay, int failurePercent, int failureStatus) {
  public static final MockConfig DEFAULTS = new MockConfig("", Duration.ZERO, Duration.ZERO, 0, 500);
}
