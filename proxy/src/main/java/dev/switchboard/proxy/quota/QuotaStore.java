package dev.switchboard.proxy.quota;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the counters of limits and budgets live. Keys name a client and a dimension; every
 * operation is atomic for its key.
 */
public interface QuotaStore {
  /** The store cannot be reached (Redis down or slow): the caller applies the configured choice. */
  final class Unavailable extends RuntimeException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A period's usage; {@code lastUsedMillis} is 0 before the first request. */
  record Spent(long requests, long promptTokens, long completionTokens, double costUsd, long lastUsedMillis) {
    public static final Spent NONE = new Spent(0, 0, 0, 0, 0);

    public Spent plus(Spent o) {
      return new Spent(requests + o.requests, promptTokens + o.promptTokens, completionTokens + o.completionTokens,
          costUsd + o.costUsd, Math.max(lastUsedMillis, o.lastUsedMillis));
    }

    /** What was added since {@code earlier} (never below zero: a counter that went back restarted). */
    public Spent since(Spent earlier) {
      if (requests < earlier.requests || costUsd < earlier.costUsd) {
        return this;
      }
      return new Spent(requests - earlier.requests, promptTokens - earlier.promptTokens, completionTokens - earlier.completionTokens,
          costUsd - earlier.costUsd, lastUsedMillis);
    }
  }

  /** Takes {@code cost} of {@code limit} per minute from {@code key}. */
  Gcra.Decision take(String key, long limit, long cost);

  /** Settles {@code units} (negative gives back) on {@code key} after the fact. */
  void adjust(String key, long limit, long units);

  /** Holds one of at most {@code max} places under {@code key} for {@code holder}, for at most {@code lease}. */
  boolean enter(String key, int max, String holder, Duration lease);

  void leave(String key, String holder);

  /** Adds to the usage of {@code client} in the period starting at {@code periodStart}, kept until {@code keepUntil}. */
  void spend(String client, Instant periodStart, Spent spent, Instant keepUntil);

  Spent spent(String client, Instant periodStart);

  /** What the store is, for the startup log. */
  String describe();

  /** Whether the counters are shared by every proxy (then limits are whole, not shares). */
  boolean shared();
}
