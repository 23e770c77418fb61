package dev.switchboard.config;

/** Per-proxy limits; 0 means unlimited. */
public record LimitConfig(int requestsPerMinute, int tokensPerMinute, int maxConcurrent) {
  public static final LimitConfig UNLIMITED = new LimitConfig(0, 0, 0);
}
