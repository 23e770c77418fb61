package dev.switchboard.proxy.routing;

import dev.switchboard.api.v1alpha1.RetryOn;
import dev.switchboard.config.RetryPolicy;
import dev.switchboard.proxy.error.ApiError;
import dev.switchboard.proxy.error.ErrorMapping;
import dev.switchboard.proxy.exchange.ContinuityStore;
import dev.switchboard.api.v1alpha1.Capability;
import dev.switchboard.proxy.capability.CapabilityBook;
import dev.switchboard.proxy.capability.CapabilityNeeds;
import dev.switchboard.proxy.memory.MemoryBudget;
import dev.switchboard.proxy.quota.BackendQuotas;
import dev.switchboard.proxy.quota.TokenReservation;
import dev.switchboard.proxy.quota.UsageEstimate;
import dev.switchboard.proxy.request.ParsedRequest;
import dev.switchboard.proxy.exchange.ChatContinuity;
import dev.switchboard.proxy.upstream.ByteSlice;
import dev.switchboard.proxy.upstream.ChatStream;
import dev.switchboard.proxy.upstream.Completion;
import dev.switchboard.proxy.upstream.Degradations;
import dev.switchboard.proxy.upstream.ProviderAdapter;
import dev.switchboard.proxy.upstream.UpstreamCall;
import dev.switchboard.proxy.upstream.UpstreamException;
import dev.switchboard.proxy.upstream.UpstreamResponse;
import dev.switchboard.proxy.upstream.Usage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs one chat request through a route: orders the targets, skips ejected and rate-limited
 * backends, tries, and on a retryable failure waits a backoff and tries again (possibly on another
 * target) until the route's attempts are used. Retries and failover happen only before the first
 * byte reaches the client; a stream that breaks after that ends with an error event.
 */
public final class ChatRouter {
  /** Status logged when the client went away before the answer was complete (as nginx does). */
  public static final int CLIENT_CLOSED = 499;

  /** What one try does with a backend's adapter: a chat completion or an embedding. */
  @FunctionalInterface
  public interface Operation {
    UpstreamResponse perform(ProviderAdapter adapter, UpstreamCall call) throws UpstreamException;
  }

  private final ContinuityStore continuity;
  private final BackendQuotas limits;
  private final CapabilityBook capabilities;

  /**
   * @param limits where backends' {@code limits} are held (for the fleet when the store is shared)
   * @param capabilities the capability checks requests that need a capability are routed by
   */
  public ChatRouter(ContinuityStore continuity, BackendQuotas limits, CapabilityBook capabilities) {
    this.continuity = continuity;
    this.limits = limits;
    this.capabilities = capabilities;
  }

  public ChatRouter(ContinuityStore continuity) {
    this(continuity, BackendQuotas.local(), new CapabilityBook());
  }

  public CapabilityBook capabilities() {
    return capabilities;
  }

  public ChatRouter() {
    this(ContinuityStore.defaults());
  }

  public BackendQuotas limits() {
    return limits;
  }

  public ContinuityStore continuity() {
    return continuity;
  }

  public Outcome route(RouteState route, ParsedRequest request, String requestId, ClientChannel client, long startNanos,
      MemoryBudget.Lease lease, String clientScope) {
    return route(route, request, requestId, client, startNanos, lease, clientScope, ProviderAdapter::send);
  }

  /**
   * @param lease the request's share of the memory budget; every try pays from it and it is closed by the caller
   * @param clientScope the client's key as a hash ("" without keys): continuity is remembered per client
   */
  public Outcome route(RouteState route, ParsedRequest request, String requestId, ClientChannel client, long startNanos,
      MemoryBudget.Lease lease, String clientScope, Operation operation) {
    ChatContinuity.Source source = new ChatContinuity.Source(continuity, clientScope);
    RetryPolicy policy = route.config().retry();
    List<TargetState> candidates = candidates(route, request.preferredBackend());
    if (candidates.isEmpty()) {
      return failed("", 0, ErrorMapping.noHealthyTarget(route.id(), ejectedSummary(route)));
    }
    Map<TargetState, Set<Capability>> unverified = Map.of();
    if (capabilities.anyFailed()) {
      Set<Capability> needs = CapabilityNeeds.of(request);
      if (!needs.isEmpty()) {
        CapabilityOrder order = CapabilityOrder.of(candidates, needs, capabilities);
        if (order.noneAble() && route.config().requireCapabilities()) {
          return failed("", 0, new ApiError(400, "invalid_request_error", "capability_not_verified", "model", order.refusal(route.id())));
        }
        candidates = order.ordered();
        unverified = order.failed();
      }
    }
    int attempts = 0;
    int skippedInRow = 0;
    int limitedInRow = 0;
    int unsupported = 0;
    int next = 0;
    Duration soonest = null;
    UpstreamException last = null;
    String lastBackend = "";
    while (attempts < policy.attempts()) {
      TargetState target = candidates.get(next++ % candidates.size());
      BackendState backend = target.backend();
      if (!backend.breaker().tryPass(System.nanoTime())) {
        if (++skippedInRow >= candidates.size()) {
          break;
        }
        continue;
      }
      skippedInRow = 0;
      BackendQuotas.Attempt place = limits.acquire(backend.config(), reservation(backend, target, request), requestId + ":" + next);
      if (place.permit().isEmpty()) {
        backend.breaker().onNeutral();
        soonest = soonest == null || place.retryAfter().compareTo(soonest) < 0 ? place.retryAfter() : soonest;
        if (++limitedInRow >= candidates.size()) {
          return failed(backend.id(), attempts, ErrorMapping.gatewayLimited(candidates.size() == 1
              ? "The gateway's limits for backend " + backend.id() + " are reached; try again shortly."
              : "The gateway's limits for every backend of route " + route.id() + " are reached; try again shortly.", soonest));
        }
        continue;
      }
      BackendQuotas.Permit permit = place.permit().get();
      limitedInRow = 0;
      attempts++;
      lastBackend = backend.id();
      long tryStart = System.nanoTime();
      boolean handedOff = false;
      try {
        Degradations degradations = new Degradations();
        UpstreamResponse response = operation.perform(backend.adapter(),
            call(route, target, request, requestId, policy, lease, source, degradations));
        ClientChannel.Served served = new ClientChannel.Served(route.id(), backend.id(), attempts, degradations.list(),
            response instanceof Completion c ? c.dialect() : ((ChatStream) response).dialect(),
            unverified.getOrDefault(target, Set.of()).stream().map(Capability::wireName).toList());
        if (response instanceof Completion completion) {
          target.recordLatency(System.nanoTime() - tryStart);
          backend.breaker().onSuccess();
          Usage usage = UsageEstimate.ofCompletion(completion.usage(), request, completion.body().length);
          permit.used(usage.totalTokens());
          try {
            client.sendCompletion(served, completion.body());
          } catch (IOException | RuntimeException e) {
            return new Outcome(backend.id(), attempts, CLIENT_CLOSED, 0, usage, Optional.empty(), true);
          }
          return new Outcome(backend.id(), attempts, 200, System.nanoTime() - startNanos, usage, Optional.empty(), true);
        }
        ChatStream stream = (ChatStream) response;
        ByteSlice first;
        try {
          first = stream.next();
        } catch (UpstreamException e) {
          stream.close();
          throw e;
        }
        target.recordLatency(System.nanoTime() - tryStart);
        backend.breaker().onSuccess();
        handedOff = true;
        return relay(stream, first, served, client, permit, backend, request, startNanos);
      } catch (UpstreamException e) {
        last = e;
        if (e.kind() == UpstreamException.Kind.OVERLOADED) {
          // The gateway's own memory is full: another target would need the same memory.
          backend.breaker().onNeutral();
          break;
        }
        if (e.kind() == UpstreamException.Kind.UNSUPPORTED) {
          // The request, not the backend, is the problem: another target's provider may express it.
          backend.breaker().onNeutral();
          attempts--;
          if (++unsupported >= candidates.size()) {
            break;
          }
          continue;
        }
        backend.lastError(e.getMessage());
        if (e.blamesBackend()) {
          backend.breaker().onFailure(System.nanoTime());
        } else {
          backend.breaker().onNeutral();
        }
        Optional<RetryOn> kind = e.retryClass();
        if (kind.isEmpty() || !policy.retries(kind.get()) || attempts >= policy.attempts()) {
          break;
        }
        Duration wait = backoff(policy, attempts);
        Optional<Duration> retryAfter = e.retryAfter();
        if (retryAfter.isPresent()) {
          if (retryAfter.get().compareTo(policy.backoffMax()) <= 0) {
            wait = wait.compareTo(retryAfter.get()) >= 0 ? wait : retryAfter.get();
          } else if (candidates.size() == 1) {
            break; // waiting that long is the client's call: it gets the 429 and the Retry-After
          }
        }
        sleep(wait);
      } finally {
        if (!handedOff) {
          permit.close();
        }
      }
    }
    if (last == null) {
      return failed(lastBackend, attempts, ErrorMapping.noHealthyTarget(route.id(), ejectedSummary(route)));
    }
    return failed(lastBackend, attempts, ErrorMapping.upstream(last));
  }

  /**
   * Relays a stream to its end. Its usage is the provider's, or when the stream ended without one
   * (cut, or a server that reports none) an estimate ({@link UsageEstimate}): limits and budgets
   * then count what the relayed part likely cost.
   */
  private Outcome relay(ChatStream stream, ByteSlice first, ClientChannel.Served served, ClientChannel client,
      BackendQuotas.Permit permit, BackendState backend, ParsedRequest request, long startNanos) {
    long firstByte = 0;
    long events = 0;
    try (stream; permit) {
      try {
        client.openStream(served);
        if (first != null) {
          events++;
          client.sendEvent(first);
        }
        firstByte = System.nanoTime() - startNanos;
        ByteSlice event;
        while ((event = stream.next()) != null) {
          events++;
          client.sendEvent(event);
        }
        client.endStream();
        Usage usage = UsageEstimate.ofStream(stream.usage(), request, events);
        permit.used(usage.totalTokens());
        return new Outcome(backend.id(), served.attempts(), 200, firstByte, usage, Optional.empty(), true);
      } catch (UpstreamException e) {
        backend.lastError(e.getMessage());
        if (e.blamesBackend()) {
          backend.breaker().onFailure(System.nanoTime());
        }
        ApiError error = ErrorMapping.upstream(e);
        client.abortStream(error);
        Usage usage = UsageEstimate.ofStream(stream.usage(), request, events);
        permit.used(usage.totalTokens());
        return new Outcome(backend.id(), served.attempts(), 200, firstByte, usage, Optional.of(error), true);
      } catch (IOException | RuntimeException e) {
        // The client went away: closing the stream aborts the upstream request.
        Usage usage = UsageEstimate.ofStream(stream.usage(), request, events);
        permit.used(usage.totalTokens());
        return new Outcome(backend.id(), served.attempts(), CLIENT_CLOSED, firstByte, usage, Optional.empty(), true);
      }
    }
  }

  /** What a try reserves from the backend's tokens per minute; computed only when it has such a limit. */
  private static long reservation(BackendState backend, TargetState target, ParsedRequest request) {
    if (backend.config().limits().tokensPerMinute() <= 0) {
      return 0;
    }
    return TokenReservation.of(request, backend.config().model(target.config().model()).flatMap(m -> m.maxOutputTokens()));
  }

  private static UpstreamCall call(RouteState route, TargetState target, ParsedRequest request, String requestId, RetryPolicy policy,
      MemoryBudget.Lease lease, ChatContinuity.Source source, Degradations degradations) {
    Duration timeout = target.backend().config().timeouts().request();
    if (policy.perTryTimeout().isPresent() && policy.perTryTimeout().get().compareTo(timeout) < 0) {
      timeout = policy.perTryTimeout().get();
    }
    return new UpstreamCall(request, target.backend().config(), target.config().upstreamModel(), route.defaults(),
        target.overrides(), route.config().defaults(), target.overridesTree(), timeout,
        route.config().dropUnsupportedParameters(), requestId, lease, source, degradations);
  }

  /**
   * The route's targets in the strategy's order, suspended and ejected ones left out, failing probes last; a
   * healthy target on the backend that holds the conversation's state (affinity) goes first.
   */
  static List<TargetState> candidates(RouteState route, Optional<String> preferred) {
    long now = System.nanoTime();
    List<TargetState> ordered = route.strategy().order(route.targets(), route.nextTurn(), ThreadLocalRandom.current());
    if (preferred.isPresent()) {
      List<TargetState> first = new ArrayList<>(ordered.size());
      for (TargetState t : ordered) {
        if (t.backend().id().equals(preferred.get())) {
          first.add(t);
        }
      }
      for (TargetState t : ordered) {
        if (!t.backend().id().equals(preferred.get())) {
          first.add(t);
        }
      }
      ordered = first;
    }
    List<TargetState> healthy = new ArrayList<>(ordered.size());
    List<TargetState> doubtful = new ArrayList<>();
    for (TargetState t : ordered) {
      if (t.suspended() || t.backend().breaker().isEjected(now)) {
        continue;
      }
      (t.backend().probeFailing() ? doubtful : healthy).add(t);
    }
    healthy.addAll(doubtful);
    return healthy;
  }

  /** Why no target could be tried: each one suspended (the backend, or the target in the route) or ejected. */
  private static String ejectedSummary(RouteState route) {
    List<String> parts = new ArrayList<>();
    for (TargetState t : route.targets()) {
      BackendState b = t.backend();
      if (b.suspended()) {
        parts.add("backend " + b.id() + " is suspended");
      } else if (t.config().suspended()) {
        parts.add("target " + b.id() + " model " + t.config().model() + " is suspended in the route");
      } else {
        String error = b.lastError().isEmpty() ? "" : " (last error: " + b.lastError() + ")";
        parts.add("backend " + b.id() + " is ejected after repeated failures" + error);
      }
    }
    return parts.isEmpty() ? "the route has no targets" : String.join("; ", parts);
  }

  /** Exponential backoff with jitter: base doubled per retry, capped, then 50-100% of that. */
  static Duration backoff(RetryPolicy policy, int attemptsSoFar) {
    long base = policy.backoffBase().toNanos();
    long max = policy.backoffMax().toNanos();
    long exp = base << Math.min(attemptsSoFar - 1, 20);
    long capped = exp <= 0 || exp > max ? max : exp;
    long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    return Duration.ofNanos(jittered);
  }

  private static void sleep(Duration d) {
    if (d.isZero() || d.isNegative()) {
      return;
    }
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Outcome failed(String backend, int attempts, ApiError error) {
    return new Outcome(backend, attempts, error.status(), 0, Usage.NONE, Optional.of(error), false);
  }
}
