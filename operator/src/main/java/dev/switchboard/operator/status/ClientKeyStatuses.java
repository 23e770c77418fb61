package dev.switchboard.operator.status;

import dev.switchboard.api.v1alpha1.BudgetPeriod;
import dev.switchboard.api.v1alpha1.ClientKey;
import dev.switchboard.api.v1alpha1.ClientKeySpec;
import dev.switchboard.api.v1alpha1.ClientKeyStatus;
import dev.switchboard.api.v1alpha1.Condition;
import dev.switchboard.compiler.ClientKeyOutcome;
import dev.switchboard.config.BudgetConfig;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A ClientKey's desired status, from its compile outcome, the fleet's usage and the proxies' quota store health. */
public final class ClientKeyStatuses {
  public static final String READY = "Ready";
  public static final String EXPIRED = "Expired";
  public static final String BUDGET_EXHAUSTED = "BudgetExhausted";
  public static final String DEGRADED = "Degraded";
  public static final String UNPRICED = "UnpricedModels";

  private ClientKeyStatuses() {}

  /** The period usage is counted in: the budget's, else UTC calendar months. */
  public static BudgetPeriod period(ClientKey key) {
    ClientKeySpec spec = key.getSpec();
    return spec != null && spec.budget() != null && spec.budget().period() != null ? spec.budget().period() : BudgetPeriod.MONTH;
  }

  public static Optional<Instant> expiresAt(ClientKey key) {
    String at = key.getSpec() == null ? null : key.getSpec().expiresAt();
    if (at == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(java.time.OffsetDateTime.parse(at).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * @param usage the fleet's usage in the current period, when any proxy reported it
   * @param degraded whether some proxy cannot reach the shared quota store now
   */
  public static ClientKeyStatus desired(ClientKey key, Optional<ClientKeyOutcome> outcome, Optional<Usage> usage, boolean degraded,
      Instant now) {
    long generation = key.getMetadata().getGeneration() == null ? 0 : key.getMetadata().getGeneration();
    ClientKeySpec spec = key.getSpec();
    ClientKeyStatus previous = key.getStatus();
    Instant periodStart = BudgetConfig.periodStart(period(key), now);
    Usage current = usage.filter(u -> u.periodStart().equals(periodStart))
        .or(() -> Optional.ofNullable(previous).flatMap(p -> Usage.fromStatus(p.usage(), periodStart)))
        .orElse(Usage.zero(periodStart));
    Optional<Instant> expires = expiresAt(key);
    boolean expired = expires.filter(e -> !now.isBefore(e)).isPresent();
    boolean disabled = spec != null && Boolean.TRUE.equals(spec.disabled());
    boolean limited = spec != null && (spec.budget() != null || spec.limits() != null);

    List<Condition> conditions = new ArrayList<>();
    if (outcome.isEmpty()) {
      conditions.add(Conditions.of(READY, Condition.UNKNOWN, "Pending", "Waiting for the operator to compile this key.", generation));
    } else if (!outcome.get().accepted()) {
      conditions.add(Conditions.of(READY, Condition.FALSE, outcome.get().reason(), outcome.get().message(), generation));
    } else if (disabled) {
      conditions.add(Conditions.of(READY, Condition.FALSE, "Disabled", "spec.disabled is true: every request with this key gets 401.",
          generation));
    } else if (expired) {
      conditions.add(Conditions.of(READY, Condition.FALSE, EXPIRED, "The key expired at " + expires.get()
          + ": every request with it gets 401.", generation));
    } else {
      conditions.add(Conditions.of(READY, Condition.TRUE, "Accepted", "The proxies accept this key.", generation));
    }
    conditions.add(expires.isEmpty()
        ? Conditions.of(EXPIRED, Condition.FALSE, "NoExpiry", "The key has no expiresAt.", generation)
        : expired ? Conditions.of(EXPIRED, Condition.TRUE, EXPIRED, "The key expired at " + expires.get() + ".", generation)
        : Conditions.of(EXPIRED, Condition.FALSE, "NotExpired", "The key expires at " + expires.get() + ".", generation));
    if (spec != null && spec.budget() != null && spec.budget().usd() != null) {
      double usd = spec.budget().usd();
      String spent = String.format(Locale.ROOT, "$%.4f of $%.2f spent in the %s starting %s", current.costUsd(), usd,
          period(key).name().toLowerCase(Locale.ROOT), periodStart);
      conditions.add(current.costUsd() >= usd
          ? Conditions.of(BUDGET_EXHAUSTED, Condition.TRUE, "BudgetSpent", spent + ": requests get 429 insufficient_quota until "
              + BudgetConfig.periodEnd(period(key), now) + ".", generation)
          : Conditions.of(BUDGET_EXHAUSTED, Condition.FALSE, "WithinBudget", spent + ".", generation));
      List<String> unpriced = outcome.map(ClientKeyOutcome::unpriced).orElse(List.of());
      conditions.add(unpriced.isEmpty()
          ? Conditions.of(UNPRICED, Condition.FALSE, "AllPriced", "Every model this key can reach has pricing.", generation)
          : Conditions.of(UNPRICED, Condition.TRUE, "PricingMissing", "These models have no pricing, so their requests count as $0 "
              + "against the budget: " + String.join(", ", unpriced) + ".", generation));
    } else {
      conditions.add(Conditions.of(BUDGET_EXHAUSTED, Condition.FALSE, "NoBudget", "The key has no budget.", generation));
    }
    conditions.add(limited && degraded
        ? Conditions.of(DEGRADED, Condition.TRUE, "QuotaStoreUnavailable", "A proxy cannot reach the shared Redis: this key's limits "
            + "and budget are not checked for the whole fleet now (requests are served or refused as --on-redis-error says).", generation)
        : Conditions.of(DEGRADED, Condition.FALSE, "Counting", "Every proxy counts this key's limits and budget.", generation));

    String secretName = outcome.map(ClientKeyOutcome::secretName).orElse(ClientKey.secretNameOf(key));
    return new ClientKeyStatus(generation, Conditions.merge(previous == null ? List.of() : previous.conditions(), conditions, now),
        secretName, current.toStatus());
  }
}
