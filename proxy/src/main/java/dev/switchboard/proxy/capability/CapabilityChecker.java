package dev.switchboard.proxy.capability;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.api.v1alpha1.Capability;
import dev.switchboard.api.v1alpha1.ModelType;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.CapabilityVerdict;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.proxy.exchange.ChatContinuity;
import dev.switchboard.proxy.exchange.ContinuityStore;
import dev.switchboard.proxy.memory.MemoryBudget;
import dev.switchboard.proxy.request.ChatRequest;
import dev.switchboard.proxy.request.ChatRequestParser;
import dev.switchboard.proxy.request.InvalidRequestException;
import dev.switchboard.proxy.routing.BackendState;
import dev.switchboard.proxy.routing.ServingConfig;
import dev.switchboard.proxy.upstream.ByteSlice;
import dev.switchboard.proxy.upstream.ChatStream;
import dev.switchboard.proxy.upstream.Completion;
import dev.switchboard.proxy.upstream.Degradations;
import dev.switchboard.proxy.upstream.SseReader;
import dev.switchboard.proxy.upstream.UpstreamCall;
import dev.switchboard.proxy.upstream.UpstreamException;
import dev.switchboard.proxy.upstream.UpstreamResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a backend's capability checks ({@link CapabilityProbe}): each listed capability for each
 * chat model, one real request each, through the backend's own adapter (so the check sees what a
 * client's request would). A provider's 4xx refusal is a failed check; a 5xx, a 429, a timeout or
 * a broken connection says nothing about the model and leaves the last verdict standing.
 *
 * <p>In local mode this proxy is the fleet and schedules them itself, every {@code
 * capabilityInterval}; in cluster mode the operator asks one proxy ({@code POST
 * /admin/capabilities/check}) and hands every proxy the results in the config.
 */
public final class CapabilityChecker implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.proxy");
  private static final Duration MAX_CHECK_TIME = Duration.ofSeconds(60);

  private record Task(BackendState backend, ScheduledFuture<?> future) {}

  private final CapabilityBook book;
  private final MemoryBudget memory;
  private final ContinuityStore continuity;
  private final boolean scheduled;
  private final Map<String, Task> tasks = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "switchboard-capabilities");
    t.setDaemon(true);
    return t;
  });

  /** @param scheduled whether this proxy runs the checks on their interval (local mode) */
  public CapabilityChecker(CapabilityBook book, MemoryBudget memory, ContinuityStore continuity, boolean scheduled) {
    this.book = book;
    this.memory = memory;
    this.continuity = continuity;
    this.scheduled = scheduled;
  }

  public CapabilityBook book() {
    return book;
  }

  /** Follows a newly loaded config: the config's verdicts into the book, and (when scheduled) a task per backend that lists capabilities. */
  public synchronized void configure(ServingConfig config) {
    book.load(config.config());
    if (!scheduled) {
      return;
    }
    tasks.entrySet().removeIf(e -> {
      if (config.backends().get(e.getKey()) != e.getValue().backend()) {
        e.getValue().future().cancel(false);
        return true;
      }
      return false;
    });
    config.backends().forEach((id, state) -> {
      if (!state.config().healthCheck().capabilities().isEmpty()) {
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();
        tasks.computeIfAbsent(id, k -> new Task(state, scheduler.scheduleWithFixedDelay(() -> {
          if (running.compareAndSet(false, true)) {
            Thread.startVirtualThread(() -> {
              try {
                check(state);
              } finally {
                running.set(false);
              }
            });
          }
        }, 2_000, state.config().healthCheck().capabilityInterval().toMillis(), TimeUnit.MILLISECONDS)));
      }
    });
  }

  /** Runs every check of {@code backend} now, concurrently, and returns (and records) the verdicts it reached. */
  public List<CapabilityVerdict> check(BackendState backend) {
    BackendConfig config = backend.config();
    List<Thread> threads = new ArrayList<>();
    List<CapabilityVerdict> verdicts = java.util.Collections.synchronizedList(new ArrayList<>());
    for (ModelConfig model : config.models()) {
      if (model.type() != ModelType.CHAT) {
        continue;
      }
      for (Capability c : config.healthCheck().capabilities()) {
        threads.add(Thread.startVirtualThread(() -> checkOne(backend, model, c).ifPresent(v -> verdicts.add(
            new CapabilityVerdict(config.id(), model.name(), c, v.verified(), v.reason(), v.message(), Instant.now().toString())))));
      }
    }
    long deadline = System.nanoTime() + MAX_CHECK_TIME.toNanos() + Duration.ofSeconds(5).toNanos();
    for (Thread t : threads) {
      try {
        t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    List<CapabilityVerdict> out;
    synchronized (verdicts) {
      out = List.copyOf(verdicts);
    }
    book.record(out);
    return out;
  }

  private Optional<CapabilityProbe.Verdict> checkOne(BackendState backend, ModelConfig model, Capability c) {
    ChatRequest request;
    try {
      request = ChatRequestParser.parse(CapabilityProbe.request(c));
    } catch (InvalidRequestException e) {
      throw new IllegalStateException("a capability probe must parse: " + e.getMessage(), e);
    }
    BackendConfig config = backend.config();
    Duration timeout = config.timeouts().request().compareTo(MAX_CHECK_TIME) < 0 ? config.timeouts().request() : MAX_CHECK_TIME;
    try (MemoryBudget.Lease lease = memory.lease()) {
      UpstreamCall call = new UpstreamCall(request, config, model.upstreamName(), List.of(), List.of(), JsonNodeFactory.instance.objectNode(),
          JsonNodeFactory.instance.objectNode(), timeout, false, "capability-check-" + c.wireName(), lease,
          new ChatContinuity.Source(continuity, "capability-check"), new Degradations());
      UpstreamResponse response = backend.adapter().send(call);
      if (response instanceof Completion completion) {
        return Optional.of(CapabilityProbe.judgeCompletion(c, completion.body()));
      }
      List<String> data = new ArrayList<>();
      try (ChatStream stream = (ChatStream) response) {
        ByteSlice event;
        while ((event = stream.next()) != null && data.size() < 10_000) {
          data.add(SseReader.data(event));
        }
      }
      return Optional.of(CapabilityProbe.judgeStream(c, data));
    } catch (UpstreamException e) {
      if (e.kind() == UpstreamException.Kind.UNSUPPORTED || e.status() == 400 || e.status() == 404 || e.status() == 422) {
        return Optional.of(new CapabilityProbe.Verdict(false, "Refused", "the provider refused the check: " + e.getMessage()));
      }
      LOG.log(System.Logger.Level.INFO, "capability check " + c + " of " + config.id() + " model " + model.name()
          + " reached no verdict: " + e.getMessage());
      return Optional.empty();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "capability check " + c + " of " + config.id() + " failed: " + e.getClass().getSimpleName());
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
