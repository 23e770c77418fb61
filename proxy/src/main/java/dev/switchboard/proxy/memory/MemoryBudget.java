package dev.switchboard.proxy.memory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The one in-flight byte budget of the process: request bodies being read, rewritten bodies,
 * translation trees, upstream answers being held and stream event buffers all draw on it, so
 * their sum stays under the heap however many clients send at once. Bytes are reserved as they
 * arrive (never from a length a peer announces) and released when the request ends. A
 * reservation that does not fit is refused at once: the caller answers 503 with
 * {@code Retry-After} instead of the JVM running out of memory.
 */
public final class MemoryBudget {
  /** The share of the maximum heap the budget takes by default; the rest is the server's own. */
  public static final double DEFAULT_HEAP_SHARE = 0.4;
  /**
   * A request holding at most this much is small (a chat turn without images). The last
   * {@link #SMALL_SHARE} of the budget is kept for small requests, so a crowd of large bodies
   * cannot starve ordinary traffic: they get 503 first.
   */
  public static final long SMALL_LEASE = 256 * 1024;
  static final double SMALL_SHARE = 0.125;

  private final long capacity;
  private final long largeCapacity;
  private final AtomicLong used = new AtomicLong();

  public MemoryBudget(long capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("a memory budget must be positive");
    }
    this.capacity = capacity;
    this.largeCapacity = capacity - (long) (capacity * SMALL_SHARE);
  }

  /** {@link #DEFAULT_HEAP_SHARE} of this JVM's maximum heap. */
  public static MemoryBudget ofHeap() {
    return new MemoryBudget((long) (Runtime.getRuntime().maxMemory() * DEFAULT_HEAP_SHARE));
  }

  public long capacity() {
    return capacity;
  }

  /** Bytes reserved now, by every lease together. */
  public long used() {
    return used.get();
  }

  /** A new, empty lease for one request (or one probe). */
  public Lease lease() {
    return new Lease();
  }

  private boolean take(long bytes, long limit) {
    while (true) {
      long now = used.get();
      long next = now + bytes;
      if (next > limit || next < 0) {
        return false;
      }
      if (used.compareAndSet(now, next)) {
        return true;
      }
    }
  }

  /** A reservation that does not fit. */
  public static final class Exhausted extends Exception {
    Exhausted(long wanted, long capacity) {
      super("the gateway's memory budget (" + capacity + " bytes in flight) cannot take " + wanted + " more bytes now",
          null, false, false);
    }
  }

  /**
   * What one request holds. Closing it returns everything it reserved; it may be closed more
   * than once. Safe to use from the threads of one request (the handler and a watchdog).
   */
  public final class Lease implements AutoCloseable {
    private final AtomicLong held = new AtomicLong();
    private volatile boolean closed;

    private Lease() {}

    /** Reserves {@code bytes} more, or throws without reserving anything. */
    public void reserve(long bytes) throws Exhausted {
      if (bytes <= 0) {
        return;
      }
      boolean small = held.get() + bytes <= SMALL_LEASE;
      if (closed || !take(bytes, small ? capacity : largeCapacity)) {
        throw new Exhausted(bytes, capacity);
      }
      held.addAndGet(bytes);
    }

    /** Returns {@code bytes} of this lease's reservation (a buffer that was freed). */
    public void release(long bytes) {
      long give = Math.min(bytes, held.get());
      if (give > 0 && held.addAndGet(-give) >= 0) {
        used.addAndGet(-give);
      }
    }

    public long held() {
      return held.get();
    }

    @Override
    public void close() {
      closed = true;
      long all = held.getAndSet(0);
      if (all > 0) {
        used.addAndGet(-all);
      }
    }
  }
}
