package dev.switchboard.proxy.probe;

import dev.switchboard.proxy.routing.BackendState;
import dev.switchboard.proxy.routing.ServingConfig;
import dev.switchboard.proxy.upstream.ProbeResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Probes every backend whose health check is enabled, on its interval, each probe on a virtual
 * thread so a hanging backend delays nobody else. Schedules follow config reloads: a backend
 * whose config did not change keeps its schedule.
 */
public final class BackendProber implements AutoCloseable {
  private record Task(BackendState backend, ScheduledFuture<?> future, AtomicBoolean running) {}

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "switchboard-prober");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Task> tasks = new ConcurrentHashMap<>();
  private final boolean enabled;

  /** @param enabled false turns scheduling off (on-demand probes still run), for tests that drive probes themselves */
  public BackendProber(boolean enabled) {
    this.enabled = enabled;
  }

  /** Follows a newly loaded config. */
  public synchronized void configure(ServingConfig config) {
    Map<String, BackendState> wanted = new LinkedHashMap<>();
    config.backends().forEach((id, state) -> {
      if (state.config().healthCheck().enabled()) {
        wanted.put(id, state);
      }
    });
    tasks.entrySet().removeIf(e -> {
      if (wanted.get(e.getKey()) != e.getValue().backend()) {
        e.getValue().future().cancel(false);
        return true;
      }
      return false;
    });
    if (!enabled) {
      return;
    }
    wanted.forEach((id, state) -> tasks.computeIfAbsent(id, k -> {
      long interval = state.config().healthCheck().interval().toMillis();
      long firstDelay = ThreadLocalRandom.current().nextLong(Math.min(interval, 1000) + 1); // spread the first wave
      AtomicBoolean running = new AtomicBoolean();
      ScheduledFuture<?> future = scheduler.scheduleWithFixedDelay(() -> launch(state, running), firstDelay, interval,
          TimeUnit.MILLISECONDS);
      return new Task(state, future, running);
    }));
  }

  private static void launch(BackendState state, AtomicBoolean running) {
    if (running.compareAndSet(false, true)) {
      Thread.startVirtualThread(() -> {
        try {
          probeOnce(state);
        } finally {
          running.set(false);
        }
      });
    }
  }

  /** Probes the given backends now, concurrently, and waits for their results. */
  public Map<String, ProbeResult> probeNow(Collection<BackendState> backends) {
    List<Thread> threads = new ArrayList<>();
    for (BackendState b : backends) {
      threads.add(Thread.startVirtualThread(() -> probeOnce(b)));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (Thread t : threads) {
      try {
        t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    Map<String, ProbeResult> results = new LinkedHashMap<>();
    for (BackendState b : backends) {
      if (b.probe() != null) {
        results.put(b.id(), b.probe());
      }
    }
    return results;
  }

  private static void probeOnce(BackendState state) {
    ProbeResult result;
    try {
      result = state.adapter().probe(state.config());
    } catch (RuntimeException e) {
      result = ProbeResult.failed("ProbeFailed", "the probe failed: " + e.getClass().getSimpleName(), 0);
    }
    state.probe(result);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
