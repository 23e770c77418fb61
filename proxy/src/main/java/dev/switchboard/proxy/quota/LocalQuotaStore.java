package dev.switchboard.proxy.quota;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The counters in this process: each proxy enforces its share of a fleet's limits. */
public final class LocalQuotaStore implements QuotaStore {
  private final Map<String, long[]> cells = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Long>> places = new ConcurrentHashMap<>();
  /** Each client's current period only: an ended period is never read again. */
  private final Map<String, Period> usage = new ConcurrentHashMap<>();

  private record Period(Instant start, Spent spent) {}

  private static long now() {
    return System.currentTimeMillis() * 1000;
  }

  @Override
  public Gcra.Decision take(String key, long limit, long cost) {
    long[] cell = cells.computeIfAbsent(key, k -> new long[1]);
    synchronized (cell) {
      Gcra.Decision d = Gcra.take(cell[0], now(), limit, cost);
      if (d.allowed()) {
        cell[0] = d.tat();
      }
      return d;
    }
  }

  @Override
  public void adjust(String key, long limit, long units) {
    long[] cell = cells.computeIfAbsent(key, k -> new long[1]);
    synchronized (cell) {
      cell[0] = Gcra.adjust(cell[0], now(), limit, units);
    }
  }

  @Override
  public boolean enter(String key, int max, String holder, Duration lease) {
    Map<String, Long> held = places.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
    synchronized (held) {
      long now = System.nanoTime();
      held.values().removeIf(deadline -> deadline - now < 0);
      if (held.size() >= max) {
        return false;
      }
      held.put(holder, now + lease.toNanos());
      return true;
    }
  }

  @Override
  public void leave(String key, String holder) {
    Map<String, Long> held = places.get(key);
    if (held != null) {
      synchronized (held) {
        held.remove(holder);
      }
    }
  }

  @Override
  public void spend(String client, Instant periodStart, Spent spent, Instant keepUntil) {
    usage.compute(client, (k, p) -> p == null || !p.start().equals(periodStart) ? new Period(periodStart, spent)
        : new Period(periodStart, p.spent().plus(spent)));
  }

  @Override
  public Spent spent(String client, Instant periodStart) {
    Period p = usage.get(client);
    return p != null && p.start().equals(periodStart) ? p.spent() : Spent.NONE;
  }

  @Override
  public String describe() {
    return "this proxy (each replica enforces its share of each limit)";
  }

  @Override
  public boolean shared() {
    return false;
  }
}
