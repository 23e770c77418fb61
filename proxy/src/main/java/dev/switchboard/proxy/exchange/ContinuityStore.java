package dev.switchboard.proxy.exchange;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fallback for clients that keep only tool call ids: the continuity of each assistant turn
 * that called tools, keyed by client scope and tool call id. Bounded by the characters it holds
 * (oldest entries go first) and by age. Local to this process; a fleet without shared state
 * (Redis, with ClientKeys) degrades a turn whose data another replica holds, as documented.
 */
public final class ContinuityStore {
  /** 8 Mi characters (about 16 MiB of heap) by default: thousands of agent turns. */
  public static final long DEFAULT_MAX_CHARS = 8L << 20;
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);

  /** How much the store may hold, and for how long; {@code maxChars} 0 turns it off. */
  public record Bounds(long maxChars, Duration ttl) {
    public static final Bounds DEFAULTS = new Bounds(DEFAULT_MAX_CHARS, DEFAULT_TTL);
  }

  private record Entry(Continuity continuity, long storedNanos, long weight) {}

  private final long maxChars;
  private final long ttlNanos;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);
  private long held;

  public ContinuityStore(long maxChars, Duration ttl) {
    this.maxChars = maxChars;
    this.ttlNanos = ttl.toNanos();
  }

  public ContinuityStore(Bounds bounds) {
    this(bounds.maxChars(), bounds.ttl());
  }

  public static ContinuityStore defaults() {
    return new ContinuityStore(Bounds.DEFAULTS);
  }

  /** Remembers a turn's continuity under each of its tool call ids (one copy, shared). */
  public void remember(String scope, List<String> toolCallIds, Continuity continuity) {
    if (continuity.isEmpty() || toolCallIds.isEmpty() || maxChars <= 0) {
      return;
    }
    long weight = continuity.weight();
    if (weight > maxChars / 4) {
      return; // one huge turn must not flush everyone else's
    }
    long now = System.nanoTime();
    synchronized (this) {
      boolean first = true;
      for (String id : toolCallIds) {
        Entry previous = entries.put(key(scope, id), new Entry(continuity, now, first ? weight : 64));
        if (previous != null) {
          held -= previous.weight();
        }
        held += first ? weight : 64;
        first = false;
      }
      evict(now);
    }
  }

  public Optional<Continuity> recall(String scope, String toolCallId) {
    long now = System.nanoTime();
    synchronized (this) {
      Entry e = entries.get(key(scope, toolCallId));
      if (e == null) {
        return Optional.empty();
      }
      if (now - e.storedNanos() > ttlNanos) {
        entries.remove(key(scope, toolCallId));
        held -= e.weight();
        return Optional.empty();
      }
      return Optional.of(e.continuity());
    }
  }

  /** Characters held now. */
  public synchronized long held() {
    return held;
  }

  private void evict(long now) {
    Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
    while (it.hasNext() && (held > maxChars || now - firstStored() > ttlNanos)) {
      held -= it.next().getValue().weight();
      it.remove();
    }
  }

  private long firstStored() {
    return entries.isEmpty() ? System.nanoTime() : entries.values().iterator().next().storedNanos();
  }

  private static String key(String scope, String toolCallId) {
    return scope + '\u0000' + toolCallId;
  }
}
