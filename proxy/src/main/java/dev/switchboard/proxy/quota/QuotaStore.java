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

  /**
   * All a request takes, checked and taken together: a budget ({@code budgetUsd} below 0: none),
   * per-minute limits (0: none) and a place in flight ({@code maxConcurrent} 0: none).
   */
  record Admit(String client, Instant periodStart, double budgetUsd, long rpm, long tpm, long tokens, int maxConcurrent,
      String holder, Duration lease) {}

  enum Verdict { ADMITTED, BUDGET, REQUESTS_PER_MINUTE, TOKENS_PER_MINUTE, MAX_CONCURRENT }

  /** @param spentUsd the period's spend, when the budget refused */
  record Outcome(Verdict verdict, long retryAfterMicros, double spentUsd) {
    static final Outcome ADMITTED = new Outcome(Verdict.ADMITTED, 0, 0);
  }

  /**
   * What a finished request gives back and adds: its place in flight ("" none), its tokens' difference from the
   * reservation, its spend ({@link Spent#NONE} adds none: a backend's limits keep no usage).
   */
  record Settle(String client, String holder, long tpm, long tokenDelta, Instant periodStart, Spent spent, Instant keepUntil) {}

  /** Checks and takes in turn; a shared store does it in one round trip. */
  default Outcome admit(Admit a) {
    if (a.budgetUsd() >= 0) {
      Spent s = spent(a.client(), a.periodStart());
      if (s.costUsd() >= a.budgetUsd()) {
        return new Outcome(Verdict.BUDGET, 0, s.costUsd());
      }
    }
    if (a.rpm() > 0) {
      Gcra.Decision d = take(a.client() + ":rpm", a.rpm(), 1);
      if (!d.allowed()) {
        return new Outcome(Verdict.REQUESTS_PER_MINUTE, d.retryAfterMicros(), 0);
      }
    }
    // All or nothing, as the shared store's script: what was taken before a refusal is given back.
    if (a.tpm() > 0) {
      Gcra.Decision d = take(a.client() + ":tpm", a.tpm(), a.tokens());
      if (!d.allowed()) {
        giveBack(a, false);
        return new Outcome(Verdict.TOKENS_PER_MINUTE, d.retryAfterMicros(), 0);
      }
    }
    if (a.maxConcurrent() > 0 && !enter(a.client() + ":inflight", a.maxConcurrent(), a.holder(), a.lease())) {
      giveBack(a, true);
      return new Outcome(Verdict.MAX_CONCURRENT, 0, 0);
    }
    return Outcome.ADMITTED;
  }

  private void giveBack(Admit a, boolean tokens) {
    if (a.rpm() > 0) {
      adjust(a.client() + ":rpm", a.rpm(), -1);
    }
    if (tokens && a.tpm() > 0) {
      adjust(a.client() + ":tpm", a.tpm(), -Math.min(a.tokens(), a.tpm()));
    }
  }

  default void settle(Settle s) {
    if (!s.holder().isEmpty()) {
      leave(s.client() + ":inflight", s.holder());
    }
    if (s.tpm() > 0 && s.tokenDelta() != 0) {
      adjust(s.client() + ":tpm", s.tpm(), s.tokenDelta());
    }
    if (s.spent().requests() > 0) {
      spend(s.client(), s.periodStart(), s.spent(), s.keepUntil());
    }
  }
}
