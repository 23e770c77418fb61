package dev.switchboard.proxy.upstream;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Enforces a deadline on an exchange by aborting it (closing its connection, which unblocks the
 * reading thread). The deadline can be moved: streams push it forward on every read, so one
 * scheduled check per idle period replaces a timer per chunk.
 */
public final class Watchdog {
  private static final ScheduledThreadPoolExecutor SCHEDULER = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "switchboard-watchdog");
    t.setDaemon(true);
    return t;
  });

  static {
    SCHEDULER.setRemoveOnCancelPolicy(true);
  }

  private final Runnable abort;
  private volatile long deadlineNanos;
  private volatile long idleNanos;
  private volatile boolean fired;
  private volatile boolean stopped;
  private ScheduledFuture<?> check;

  private Watchdog(Runnable abort) {
    this.abort = abort;
  }

  /** Starts a watchdog that aborts after {@code timeout} unless stopped or moved. */
  public static Watchdog start(Duration timeout, Runnable abort) {
    Watchdog w = new Watchdog(abort);
    w.deadlineNanos = System.nanoTime() + timeout.toNanos();
    w.schedule(timeout.toNanos());
    return w;
  }

  /** From now on, abort after {@code idle} without {@link #touch()}. */
  public void idle(Duration idle) {
    idleNanos = idle.toNanos();
    deadlineNanos = System.nanoTime() + idleNanos;
  }

  /** Records activity: the idle deadline starts again. */
  public void touch() {
    if (idleNanos > 0) {
      deadlineNanos = System.nanoTime() + idleNanos;
    }
  }

  /** Whether the deadline passed and the exchange was aborted. */
  public boolean fired() {
    return fired;
  }

  public void stop() {
    stopped = true;
    ScheduledFuture<?> c;
    synchronized (this) {
      c = check;
    }
    if (c != null) {
      c.cancel(false);
    }
  }

  private synchronized void schedule(long delayNanos) {
    if (!stopped) {
      check = SCHEDULER.schedule(this::check, Math.max(delayNanos, 1_000_000L), TimeUnit.NANOSECONDS);
    }
  }

  private void check() {
    if (stopped) {
      return;
    }
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining > 0) {
      schedule(remaining);
      return;
    }
    fired = true;
    try {
      abort.run();
    } catch (RuntimeException ignored) {
      // Aborting a connection that is already gone is fine.
    }
  }
}
