package dev.switchboard.proxy.quota;

import dev.switchboard.api.v1alpha1.BudgetPeriod;
import dev.switchboard.config.BudgetConfig;
import dev.switchboard.config.ClientConfig;
import dev.switchboard.config.LimitConfig;
import dev.switchboard.proxy.error.ApiError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admits a ClientKey's requests against its limits and budget, and settles them when they end.
 * Without a shared store each proxy enforces its share of a limit (the limit divided by the
 * fleet's size, at least 1). When the store fails, {@link OnStoreError} decides: open (serve,
 * counted and reported) or closed (503); a request never waits on it past the store's timeout.
 */
public final class ClientQuotas {
  /** What a store failure does to a request. */
  public enum OnStoreError { OPEN, CLOSED }

  /** How long a place in flight is held at most, should a proxy die without leaving it. */
  static final Duration LEASE = Duration.ofMinutes(15);
  /** Usage is kept this long past its period, for the operator to read the last one. */
  static final Duration KEEP = Duration.ofDays(40);

  private final QuotaStore store;
  private final OnStoreError onError;
  private final AtomicLong storeErrors = new AtomicLong();
  private final Map<String, Baseline> baselines = new ConcurrentHashMap<>();
  private volatile long lastStoreErrorMillis;

  public ClientQuotas(QuotaStore store, OnStoreError onError) {
    this.store = store;
    this.onError = onError;
  }

  public QuotaStore store() {
    return store;
  }

  public long storeErrors() {
    return storeErrors.get();
  }

  /** Whether the store failed in the last minute: limits are not being checked for the fleet. */
  public boolean degraded() {
    return System.currentTimeMillis() - lastStoreErrorMillis < 60_000;
  }

  /**
   * A request admitted: settle it once with what it used, which also frees its place in flight.
   *
   * @param reservedTokens the tokens taken from the per-minute limit when it started
   */
  public final class Ticket {
    private final ClientConfig client;
    private final int share;
    private final long reservedTokens;
    private final String holder;
    private boolean settled;

    Ticket(ClientConfig client, int share, long reservedTokens, String holder) {
      this.client = client;
      this.share = share;
      this.reservedTokens = reservedTokens;
      this.holder = holder;
    }

    /** Settles the tokens per minute from real usage and adds the spend to the period. Idempotent. */
    public void settle(long promptTokens, long completionTokens, double costUsd) {
      if (settled) {
        return;
      }
      settled = true;
      LimitConfig limits = client.limits();
      guarded(() -> {
        Instant now = Instant.now();
        BudgetPeriod period = period(client);
        long tpm = limits.tokensPerMinute() > 0 ? share(limits.tokensPerMinute(), share) : 0;
        store.settle(new QuotaStore.Settle(client.id(), holder == null ? "" : holder, tpm,
            promptTokens + completionTokens - reservedTokens, BudgetConfig.periodStart(period, now),
            new QuotaStore.Spent(1, promptTokens, completionTokens, costUsd, now.toEpochMilli()),
            BudgetConfig.periodEnd(period, now).plus(KEEP)));
        return null;
      });
    }
  }

  /**
   * Admits a request of {@code estimatedTokens} for {@code client}, or says why not.
   *
   * @param fleetSize proxies sharing the limits when the store is not shared
   */
  public Admission admit(ClientConfig client, long estimatedTokens, int fleetSize, String requestId) {
    int share = store.shared() ? 1 : Math.max(1, fleetSize);
    LimitConfig limits = client.limits();
    try {
      Instant now = Instant.now();
      Instant periodStart = BudgetConfig.periodStart(period(client), now);
      double budget = client.budget().map(BudgetConfig::usd).orElse(-1.0);
      if (budget >= 0 && !store.shared()) {
        // Without a shared store the budget counts the operator's sum too, which only this class knows.
        QuotaStore.Spent spent = budgetSpent(client.id(), periodStart);
        if (spent.costUsd() >= budget) {
          return budgetSpent(client, spent.costUsd(), now);
        }
        budget = -1;
      }
      long rpm = limits.requestsPerMinute() > 0 ? share(limits.requestsPerMinute(), share) : 0;
      long tpm = limits.tokensPerMinute() > 0 ? share(limits.tokensPerMinute(), share) : 0;
      int concurrent = limits.maxConcurrent() > 0 ? (int) share(limits.maxConcurrent(), share) : 0;
      QuotaStore.Outcome o = store.admit(new QuotaStore.Admit(client.id(), periodStart, budget, rpm, tpm, estimatedTokens, concurrent,
          requestId, LEASE));
      return switch (o.verdict()) {
        case ADMITTED -> Admission.admitted(new Ticket(client, share, tpm > 0 ? Math.min(estimatedTokens, tpm) : 0,
            concurrent > 0 ? requestId : null));
        case BUDGET -> budgetSpent(client, o.spentUsd(), now);
        case REQUESTS_PER_MINUTE -> Admission.refused("requests_per_minute",
            rateLimited("requests", "requests per min (RPM)", rpm, o.retryAfterMicros()));
        case TOKENS_PER_MINUTE -> Admission.refused("tokens_per_minute",
            rateLimited("tokens", "tokens per min (TPM)", tpm, o.retryAfterMicros()));
        case MAX_CONCURRENT -> Admission.refused("max_concurrent", new ApiError(429, "requests", "rate_limit_exceeded", "",
            "Rate limit reached on requests in flight: limit " + concurrent + ". Retry when one of this key's requests has finished.",
            Optional.of(Duration.ofSeconds(1))));
      };
    } catch (QuotaStore.Unavailable e) {
      storeFailed();
      if (onError == OnStoreError.CLOSED) {
        return Admission.refused("quota_store", new ApiError(503, "service_unavailable", "quota_store_unavailable", "",
            "Limits cannot be checked now (" + e.getMessage() + "), and this gateway refuses requests until they can. Retry shortly.",
            Optional.of(Duration.ofSeconds(1))));
      }
      return Admission.admitted(new Ticket(client, share, 0, null)); // fail open: served, counted, reported as Degraded
    }
  }

  /**
   * The fleet's usage of a client as the operator last added it up (from every proxy's reports,
   * or from the ClientKey's status after restarts), for budgets without a shared store. What this
   * proxy spends from now on is added to it.
   */
  private record Baseline(Instant periodStart, QuotaStore.Spent fleet, QuotaStore.Spent ownAtReceipt) {}

  /** Takes the operator's sum of a client's usage in a period; ignored with a shared store, which has the sum itself. */
  public void baseline(String client, Instant periodStart, QuotaStore.Spent fleet) {
    if (!store.shared()) {
      baselines.put(client, new Baseline(periodStart, fleet, store.spent(client, periodStart)));
    }
  }

  /** What a budget is checked against: the shared store's sum, or the operator's sum plus this proxy's spend since. */
  QuotaStore.Spent budgetSpent(String client, Instant periodStart) {
    QuotaStore.Spent own = store.spent(client, periodStart);
    if (store.shared()) {
      return own;
    }
    Baseline b = baselines.get(client);
    if (b == null || !b.periodStart().equals(periodStart)) {
      return own;
    }
    return b.fleet().plus(own.since(b.ownAtReceipt()));
  }

  /**
   * A client's usage in its current period, as /admin/status reports it.
   *
   * @param counted {@code fleet} when read from the shared store (every proxy's), {@code proxy}
   *     when it is this proxy's own counters (the operator adds them up)
   * @param budgetSpent what the budget is checked against
   */
  public record Usage(String client, Instant periodStart, QuotaStore.Spent spent, String counted, QuotaStore.Spent budgetSpent) {}

  /** The period usage is counted in: the budget's, else calendar months (as the ClientKey's status shows it). */
  static BudgetPeriod period(ClientConfig client) {
    return client.budget().map(BudgetConfig::period).orElse(BudgetPeriod.MONTH);
  }

  /** Usage of these clients now; a client whose counters cannot be read is left out (and the store counted as failing). */
  public List<Usage> usage(Collection<ClientConfig> clients) {
    List<Usage> out = new ArrayList<>();
    Instant now = Instant.now();
    for (ClientConfig c : clients) {
      Instant start = BudgetConfig.periodStart(period(c), now);
      try {
        QuotaStore.Spent own = store.spent(c.id(), start);
        out.add(new Usage(c.id(), start, own, store.shared() ? "fleet" : "proxy", budgetSpent(c.id(), start)));
      } catch (QuotaStore.Unavailable e) {
        storeFailed();
      }
    }
    return out;
  }

  private static Admission budgetSpent(ClientConfig client, double spentUsd, Instant now) {
    BudgetConfig budget = client.budget().orElseThrow();
    return Admission.refused("budget", new ApiError(429, "insufficient_quota", "insufficient_quota", "",
        String.format(java.util.Locale.ROOT, "You exceeded your current quota: this key's %s budget of $%.2f is spent ($%.4f)."
            + " It renews at %s; ask the gateway's operators to raise it.", budget.period(), budget.usd(), spentUsd,
            BudgetConfig.periodEnd(budget.period(), now))));
  }

  private static ApiError rateLimited(String type, String what, long limit, long retryMicros) {
    long seconds = Math.max(1, (retryMicros + 999_999) / 1_000_000);
    return new ApiError(429, type, "rate_limit_exceeded", "", "Rate limit reached on " + what + ": limit " + limit
        + ". Please try again in " + seconds + "s.", Optional.of(Duration.ofSeconds(seconds)));
  }

  static long share(long limit, int proxies) {
    return Math.max(1, limit / proxies);
  }

  void storeFailed() {
    storeErrors.incrementAndGet();
    lastStoreErrorMillis = System.currentTimeMillis();
  }

  private void guarded(java.util.concurrent.Callable<Void> work) {
    try {
      work.call();
    } catch (QuotaStore.Unavailable e) {
      storeFailed(); // the answer is the client's either way; the miss is counted
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Admitted with a ticket to settle, or refused with the error to answer. */
  /**
   * @param reason why it was refused, for the {@code reason} label of the rejections metric:
   *     {@code budget}, {@code requests_per_minute}, {@code tokens_per_minute}, {@code max_concurrent}
   *     or {@code quota_store}; "" when admitted
   */
  public record Admission(Optional<Ticket> ticket, Optional<ApiError> refusal, String reason) {
    static Admission admitted(Ticket ticket) {
      return new Admission(Optional.of(ticket), Optional.empty(), "");
    }

    static Admission refused(String reason, ApiError error) {
      return new Admission(Optional.empty(), Optional.of(error), reason);
    }
  }
}
