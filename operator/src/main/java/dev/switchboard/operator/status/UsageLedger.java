package dev.switchboard.operator.status;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Each ClientKey's usage over the whole fleet, from the proxies' reports. With a shared Redis a
 * proxy reports the fleet's sum, taken as it is. Without one each proxy reports its own
 * counters: the ledger adds what each proxy counted since its previous report to the sum (all
 * of it after a proxy restart), starting from the ClientKey's status, so the sum survives
 * restarts of proxies and of the operator. After an operator restart the first report of each
 * proxy is taken as already in the status; what the proxies counted between the last status
 * write and that restart is lost (at most one usage interval of spend).
 */
public final class UsageLedger {
  private final Map<String, Usage> totals = new HashMap<>();
  /** proxy → client → its last report. */
  private final Map<String, Map<String, Usage>> lastSeen = new HashMap<>();
  private boolean firstRound = true;

  /**
   * Folds in one round of reports.
   *
   * @param persisted the usage a client's status holds for a period, if any
   */
  public synchronized void fold(List<ProxyReport> reports, BiFunction<String, Instant, Optional<Usage>> persisted) {
    Map<String, Usage> fleetSums = new HashMap<>();
    for (ProxyReport report : reports) {
      Map<String, Usage> seen = lastSeen.computeIfAbsent(report.proxy(), p -> new HashMap<>());
      for (ProxyReport.Client c : report.clients()) {
        Usage now = c.usage();
        if (c.fleet()) {
          fleetSums.merge(c.id(), now, (a, b) -> a.requests() >= b.requests() ? a : b);
          continue;
        }
        Usage total = total(c.id(), now.periodStart(), persisted);
        Usage previous = seen.put(c.id(), now);
        boolean restored = persisted.apply(c.id(), now.periodStart()).isPresent();
        Usage added = previous == null ? (firstRound && restored ? Usage.zero(now.periodStart()) : now) : now.since(previous);
        totals.put(c.id(), total.plus(added));
      }
    }
    fleetSums.forEach((id, sum) -> {
      Usage total = total(id, sum.periodStart(), persisted);
      // Redis holds the sum; the status may know more (usage before Redis was added): never go back.
      totals.put(id, sum.requests() >= total.requests() ? sum : total);
    });
    firstRound = false;
  }

  private Usage total(String client, Instant periodStart, BiFunction<String, Instant, Optional<Usage>> persisted) {
    Usage t = totals.get(client);
    if (t != null && t.periodStart().equals(periodStart)) {
      return t;
    }
    if (t != null && t.periodStart().isAfter(periodStart)) {
      return t; // a late report of an ended period
    }
    return persisted.apply(client, periodStart).orElse(Usage.zero(periodStart));
  }

  /** The fleet's usage of a client in its current period, when any proxy reported it. */
  public synchronized Optional<Usage> usage(String client) {
    return Optional.ofNullable(totals.get(client));
  }

  public synchronized Map<String, Usage> all() {
    return Map.copyOf(totals);
  }

  /** Forgets proxies that no longer exist. */
  public synchronized void retain(java.util.Set<String> proxies) {
    lastSeen.keySet().retainAll(proxies);
  }
}
