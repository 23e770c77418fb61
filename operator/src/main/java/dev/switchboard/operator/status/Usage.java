package dev.switchboard.operator.status;

import dev.switchboard.api.v1alpha1.ClientUsage;
import java.time.Instant;
import java.util.Optional;

/** A client's counters in one period; what a proxy reports and what the ClientKey's status shows. */
public record Usage(Instant periodStart, long requests, long promptTokens, long completionTokens, double costUsd,
    Optional<Instant> lastUsed) {
  public static Usage zero(Instant periodStart) {
    return new Usage(periodStart, 0, 0, 0, 0, Optional.empty());
  }

  public Usage plus(Usage o) {
    return new Usage(periodStart, requests + o.requests, promptTokens + o.promptTokens, completionTokens + o.completionTokens,
        costUsd + o.costUsd, later(lastUsed, o.lastUsed));
  }

  /** What was added since {@code earlier}: all of it when the counters went back (the proxy restarted) or the period changed. */
  public Usage since(Usage earlier) {
    if (!periodStart.equals(earlier.periodStart) || requests < earlier.requests || costUsd < earlier.costUsd) {
      return this;
    }
    return new Usage(periodStart, requests - earlier.requests, promptTokens - earlier.promptTokens,
        completionTokens - earlier.completionTokens, costUsd - earlier.costUsd, lastUsed);
  }

  private static Optional<Instant> later(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isPresent() && b.get().isAfter(a.get()) ? b : a;
  }

  public ClientUsage toStatus() {
    // Rounded to a millionth of a dollar, so a status is not rewritten for float noise.
    return new ClientUsage(periodStart.toString(), requests, promptTokens, completionTokens, Math.round(costUsd * 1e6) / 1e6,
        lastUsed.map(Instant::toString).orElse(null));
  }

  /** The usage a status holds, when it is for this period. */
  public static Optional<Usage> fromStatus(ClientUsage u, Instant periodStart) {
    if (u == null || u.periodStart() == null) {
      return Optional.empty();
    }
    try {
      if (!Instant.parse(u.periodStart()).equals(periodStart)) {
        return Optional.empty();
      }
      return Optional.of(new Usage(periodStart, n(u.requests()), n(u.promptTokens()), n(u.completionTokens()),
          u.costUsd() == null ? 0 : u.costUsd(), Optional.ofNullable(u.lastUsed()).map(Instant::parse)));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static long n(Long v) {
    return v == null ? 0 : v;
  }
}
