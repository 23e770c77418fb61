package dev.switchboard.proxy.state;

import dev.switchboard.proxy.memory.MemoryBudget;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Stored responses in this process: bounded by the characters held (the least recently used go
 * first), by age, and by the process's memory budget, which they are paid from like requests in
 * flight (two bytes a character): when the budget is full, the oldest go first, and a response
 * that still does not fit is not kept. A conversation continues only on the replica that stored it.
 */
public final class MemoryResponseStore implements ResponseStore {
  /** 32 Mi characters (about 64 MiB of heap) by default. */
  public static final long DEFAULT_MAX_CHARS = 32L << 20;
  /** OpenAI keeps stored responses for 30 days; one proxy's memory keeps them for a day at most. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);

  private record Entry(Stored stored, long storedNanos) {}

  private final long maxChars;
  private final long ttlNanos;
  private final MemoryBudget.Lease lease;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);
  private long held;

  public MemoryResponseStore(long maxChars, Duration ttl, MemoryBudget budget) {
    this.maxChars = maxChars;
    this.ttlNanos = ttl.toNanos();
    this.lease = budget.lease(); // held for the store's life
  }

  @Override
  public void put(Stored stored) {
    long weight = stored.weight();
    if (weight > maxChars / 4) {
      return; // one huge conversation must not flush everyone else's; it is simply not kept
    }
    long now = System.nanoTime();
    synchronized (this) {
      Entry previous = entries.remove(stored.id());
      if (previous != null) {
        forget(previous);
      }
      while (!reserve(weight)) {
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        if (!it.hasNext()) {
          return; // the budget is taken by requests in flight: this one is not kept
        }
        Entry oldest = it.next().getValue();
        it.remove();
        forget(oldest);
      }
      entries.put(stored.id(), new Entry(stored, now));
      held += weight;
      Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
      while (it.hasNext() && held > maxChars) {
        Entry oldest = it.next().getValue();
        it.remove();
        forget(oldest);
      }
    }
  }

  private boolean reserve(long chars) {
    try {
      lease.reserve(chars * 2);
      return true;
    } catch (MemoryBudget.Exhausted e) {
      return false;
    }
  }

  private void forget(Entry e) {
    held -= e.stored().weight();
    lease.release(e.stored().weight() * 2);
  }

  @Override
  public Optional<Stored> get(String owner, String id) {
    long now = System.nanoTime();
    synchronized (this) {
      Entry e = entries.get(id);
      if (e == null || !e.stored().owner().equals(owner)) {
        return Optional.empty();
      }
      if (now - e.storedNanos() > ttlNanos) {
        entries.remove(id);
        forget(e);
        return Optional.empty();
      }
      return Optional.of(e.stored());
    }
  }

  @Override
  public synchronized boolean delete(String owner, String id) {
    Entry e = entries.get(id);
    if (e == null || !e.stored().owner().equals(owner)) {
      return false;
    }
    entries.remove(id);
    forget(e);
    return true;
  }

  @Override
  public String describe() {
    return "memory (" + maxChars + " characters, " + dev.switchboard.config.Durations.format(java.time.Duration.ofNanos(ttlNanos)) + ")";
  }

  public synchronized long held() {
    return held;
  }
}
