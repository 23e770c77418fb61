package dev.switchboard.proxy.quota;

/**
 * The generic cell rate algorithm for "{@code limit} units per minute": a cell's state is its
 * theoretical arrival time (TAT), in microseconds. Taking {@code cost} units moves it {@code cost}
 * intervals later; a take is refused when the TAT would run more than a minute ahead of now. A
 * full minute's limit may be taken at once, and then units come back steadily, one interval each.
 * Pure: {@link LocalQuotaStore} runs it in memory, and {@link RedisQuotaStore}'s script is the same
 * arithmetic on the Redis server.
 */
public final class Gcra {
  static final long MINUTE_MICROS = 60_000_000L;

  /** The outcome of a take: the new TAT when allowed, or how long until it would be. */
  public record Decision(boolean allowed, long tat, long retryAfterMicros) {}

  private Gcra() {}

  /** Micros between units at {@code limit} per minute (fractional: large token limits give sub-micro intervals). */
  static double interval(long limit) {
    return (double) MINUTE_MICROS / limit;
  }

  /** Takes {@code cost} units (capped at the limit, so one large request can pass an idle window) at {@code now}. */
  public static Decision take(long tat, long now, long limit, long cost) {
    double interval = interval(limit);
    long base = Math.max(tat, now);
    long next = base + (long) Math.ceil(Math.min(cost, limit) * interval);
    long allowAt = next - MINUTE_MICROS;
    if (allowAt > now) {
      return new Decision(false, tat, allowAt - now);
    }
    return new Decision(true, next, 0);
  }

  /** Gives back (negative) or takes more (positive) units after the fact, without refusing. */
  public static long adjust(long tat, long now, long limit, long units) {
    long moved = tat + (long) Math.ceil(units * interval(limit));
    return Math.max(moved, Math.min(tat, now)); // never earlier than an empty cell
  }
}
