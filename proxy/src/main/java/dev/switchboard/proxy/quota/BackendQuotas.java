package dev.switchboard.proxy.quota;

import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.LimitConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A ChatBackend's {@code limits} (requests and tokens per minute, requests in flight), held for
 * the fleet with the same store and arithmetic as ClientKey limits: exact with a shared Redis,
 * each proxy's share of them without one. A try takes a permit before it is sent; a refused
 * backend is skipped like an ejected one (the route fails over), and when every target is refused
 * the client gets the 429 with the soonest Retry-After.
 *
 * <p>When the shared store fails, a backend's limits fall back to this proxy's share of them
 * (counted in memory): unlike a client's, a backend's limits protect a provider's quota, so they
 * are neither dropped (fail open) nor turned into refusals the provider would not give (closed).
 */
public final class BackendQuotas {
  private static final String PREFIX = "backend:";

  private final QuotaStore store;
  private final ClientQuotas health;
  private final LocalQuotaStore fallback = new LocalQuotaStore();
  private volatile int fleetSize = 1;

  /** @param health where store failures are counted (the same metric and Degraded signal as the clients') */
  public BackendQuotas(ClientQuotas health) {
    this.store = health.store();
    this.health = health;
  }

  /** Limits held by this process alone, for routers built without a proxy (tests and tools). */
  public static BackendQuotas local() {
    return new BackendQuotas(new ClientQuotas(new LocalQuotaStore(), ClientQuotas.OnStoreError.OPEN));
  }

  /** The proxies sharing limits, from the config (the operator counts them); used when the store is not shared. */
  public void fleetSize(int proxies) {
    this.fleetSize = Math.max(1, proxies);
  }

  /**
   * A place for one try on {@code backend}: a permit, or how long until one is likely.
   *
   * @param estimatedTokens the request's reservation ({@link TokenReservation}); read only with a tokens-per-minute limit
   * @param holder unique per try, for the place in flight
   */
  public Attempt acquire(BackendConfig backend, long estimatedTokens, String holder) {
    LimitConfig limits = backend.limits();
    if (limits.requestsPerMinute() <= 0 && limits.tokensPerMinute() <= 0 && limits.maxConcurrent() <= 0) {
      return Attempt.FREE;
    }
    String key = PREFIX + backend.id();
    if (store.shared()) {
      try {
        return acquire(store, key, limits, 1, estimatedTokens, holder);
      } catch (QuotaStore.Unavailable e) {
        health.storeFailed();
      }
    }
    return acquire(fallback, key, limits, fleetSize, estimatedTokens, holder);
  }

  private Attempt acquire(QuotaStore in, String key, LimitConfig limits, int share, long tokens, String holder) {
    long rpm = limits.requestsPerMinute() > 0 ? ClientQuotas.share(limits.requestsPerMinute(), share) : 0;
    long tpm = limits.tokensPerMinute() > 0 ? ClientQuotas.share(limits.tokensPerMinute(), share) : 0;
    int concurrent = limits.maxConcurrent() > 0 ? (int) ClientQuotas.share(limits.maxConcurrent(), share) : 0;
    QuotaStore.Outcome o = in.admit(new QuotaStore.Admit(key, Instant.EPOCH, -1, rpm, tpm, tokens, concurrent, holder,
        ClientQuotas.LEASE));
    return switch (o.verdict()) {
      case ADMITTED -> new Attempt(Optional.of(new Permit(in, key, tpm, tpm > 0 ? Math.min(tokens, tpm) : 0,
          concurrent > 0 ? holder : "")), Duration.ZERO);
      case MAX_CONCURRENT -> new Attempt(Optional.empty(), Duration.ofSeconds(1));
      default -> new Attempt(Optional.empty(), Duration.ofMillis(Math.max(1000, (o.retryAfterMicros() + 999) / 1000)));
    };
  }

  /** A permit, or (empty) how long until the backend's limits likely allow a request again. */
  public record Attempt(Optional<Permit> permit, Duration retryAfter) {
    static final Attempt FREE = new Attempt(Optional.of(Permit.NONE), Duration.ZERO);
  }

  /**
   * Held while a try is in flight. {@link #used} says how many tokens it really took (what the
   * reservation missed is settled); closing gives back the place in flight. Closing twice is harmless.
   */
  public static final class Permit implements AutoCloseable {
    static final Permit NONE = new Permit(null, "", 0, 0, "");

    private final QuotaStore store;
    private final String key;
    private final long tpm;
    private final long reserved;
    private final String holder;
    private long used;
    private boolean closed;

    Permit(QuotaStore store, String key, long tpm, long reserved, String holder) {
      this.store = store;
      this.key = key;
      this.tpm = tpm;
      this.reserved = reserved;
      this.holder = holder;
    }

    /** The try's real token count (a failed try that never reaches this gives its reservation back). */
    public void used(long tokens) {
      this.used = tokens;
    }

    @Override
    public void close() {
      if (closed || store == null) {
        return;
      }
      closed = true;
      long delta = used - reserved;
      if (holder.isEmpty() && (tpm == 0 || delta == 0)) {
        return;
      }
      try {
        store.settle(new QuotaStore.Settle(key, holder, tpm, delta, Instant.EPOCH, QuotaStore.Spent.NONE, Instant.EPOCH));
      } catch (QuotaStore.Unavailable e) {
        // The place in flight expires with its lease; the tokens are the minute's, gone in a minute.
      }
    }
  }
}
