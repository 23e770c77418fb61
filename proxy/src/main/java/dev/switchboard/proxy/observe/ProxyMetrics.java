package dev.switchboard.proxy.observe;

import dev.switchboard.config.ModelPrice;
import dev.switchboard.proxy.memory.MemoryBudget;
import dev.switchboard.proxy.routing.BackendState;
import dev.switchboard.proxy.routing.CircuitBreaker;
import dev.switchboard.proxy.routing.ServingConfig;
import dev.switchboard.proxy.upstream.ProbeResult;
import dev.switchboard.proxy.upstream.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The proxy's Prometheus metrics. Label values are route and backend ids from the loaded config
 * (or {@code none}), and HTTP status codes: never a model name a client made up, so cardinality
 * stays bounded. Meters are cached per label set so a request does no registry lookups.
 */
public final class ProxyMetrics {
  public static final String NONE = "none";
  private static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)};

  private record RouteKey(String route, String backend) {}

  private record StatusKey(String surface, String client, String route, String backend, int status) {}

  private record RouteMeters(Timer latency, Timer firstToken, Counter promptTokens, Counter completionTokens, Counter cost,
      Counter retries) {}

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<StatusKey, Counter> requests = new ConcurrentHashMap<>();
  private final Map<RouteKey, RouteMeters> routeMeters = new ConcurrentHashMap<>();
  private final Map<String, ClientMeters> clientMeters = new ConcurrentHashMap<>();

  private record ClientMeters(Counter promptTokens, Counter completionTokens, Counter cost) {}

  private ClientMeters clientMeters(String client) {
    return new ClientMeters(
        Counter.builder("switchboard.client.tokens").tag("client", client).tag("type", "prompt")
            .description("Prompt tokens by client").register(registry),
        Counter.builder("switchboard.client.tokens").tag("client", client).tag("type", "completion")
            .description("Completion tokens by client").register(registry),
        Counter.builder("switchboard.client.cost.usd").tag("client", client)
            .description("Cost by client from the models' pricing, in US dollars").register(registry));
  }
  private final Map<String, Counter> rejections = new ConcurrentHashMap<>();

  /** A ClientKey's request refused by its limits or budget; {@code reason} is one of a fixed few. */
  public void clientRejected(String client, String reason) {
    rejections.computeIfAbsent(client + "|" + reason, k -> Counter.builder("switchboard.client.rejections").tag("client", client)
        .tag("reason", reason).description("Requests refused by a ClientKey's limits or budget").register(registry)).increment();
  }

  /** The quota store's health: errors so far, and 1 while it failed in the last minute. */
  public void quotaStore(dev.switchboard.proxy.quota.ClientQuotas quotas) {
    io.micrometer.core.instrument.FunctionCounter.builder("switchboard.quota.store.errors", quotas,
        dev.switchboard.proxy.quota.ClientQuotas::storeErrors).description("Quota store calls that failed or timed out").register(registry);
    Gauge.builder("switchboard_quota_store_degraded", quotas, q -> q.degraded() ? 1 : 0)
        .description("1 while the quota store failed in the last minute").register(registry);
  }

  private final AtomicReference<ServingConfig> serving = new AtomicReference<>();
  private final List<Meter> backendGauges = new ArrayList<>();
  private final Counter configApplied;
  private final Counter configRejected;

  /** The in-flight memory budget: {@code switchboard_memory_budget_bytes{state="used"|"capacity"}}. */
  public void memoryBudget(MemoryBudget budget) {
    Gauge.builder("switchboard_memory_budget_bytes", budget, b -> b.used()).tags("state", "used")
        .description("bytes of request and answer data the proxy holds now, and the most it will hold").register(registry);
    Gauge.builder("switchboard_memory_budget_bytes", budget, b -> b.capacity()).tags("state", "capacity").register(registry);
  }

  public ProxyMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    configApplied = Counter.builder("switchboard.config.loads").tag("result", "applied")
        .description("Routing configs loaded").register(registry);
    configRejected = Counter.builder("switchboard.config.loads").tag("result", "rejected")
        .description("Routing configs refused as invalid").register(registry);
    Gauge.builder("switchboard.config.loaded", serving, s -> s.get() == null ? 0 : 1)
        .description("1 once a routing config is loaded").register(registry);
    Gauge.builder("switchboard.config.loaded.timestamp", serving, s -> s.get() == null ? 0 : s.get().loadedAt().getEpochSecond())
        .description("When the current routing config was loaded (Unix seconds)").register(registry);
  }

  /** Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  public void configRejected() {
    configRejected.increment();
  }

  /** Re-registers per-backend gauges for a newly loaded config. */
  public synchronized void configApplied(ServingConfig config) {
    configApplied.increment();
    serving.set(config);
    backendGauges.forEach(registry::remove);
    backendGauges.clear();
    for (BackendState b : config.backends().values()) {
      Tags tags = Tags.of("backend", b.id(), "provider", b.config().provider().wireName());
      backendGauges.add(Gauge.builder("switchboard.backend.reachable", b, s -> {
        ProbeResult p = s.probe();
        return p == null ? Double.NaN : p.reachable() ? 1 : 0;
      }).tags(tags).description("1 when the last probe reached the backend, 0 when not, NaN before the first").register(registry));
      backendGauges.add(Gauge.builder("switchboard.backend.probe.latency", b, s -> {
        ProbeResult p = s.probe();
        return p == null ? Double.NaN : p.latencyMillis() / 1000.0;
      }).tags(tags).baseUnit("seconds").description("Latency of the last probe").register(registry));
      backendGauges.add(Gauge.builder("switchboard.backend.ejected", b,
              s -> s.breaker().state(System.nanoTime()) == CircuitBreaker.State.CLOSED ? 0 : 1)
          .tags(tags).description("1 while the circuit breaker keeps the backend out of rotation").register(registry));
      backendGauges.add(Gauge.builder("switchboard.backend.suspended", b, s -> s.config().suspended() ? 1 : 0)
          .tags(tags).description("1 while the ChatBackend is suspended (spec.suspended): no new requests").register(registry));
    }
  }

  /** Records one finished request; {@code surface} is the front door it came through ({@code openai}, {@code anthropic}). */
  /**
   * @param client the {@code client} label: a ClientKey's {@code namespace/name}, {@code key} or {@code none}; never request input
   */
  public void request(String surface, String client, String route, String backend, int status, int attempts, long latencyNanos,
      long firstByteNanos, Usage usage, ModelPrice price) {
    String r = route.isEmpty() ? NONE : route;
    String b = backend.isEmpty() ? NONE : backend;
    requests.computeIfAbsent(new StatusKey(surface, client, r, b, status), k -> Counter.builder("switchboard.requests")
        .tags("surface", k.surface(), "client", k.client(), "route", k.route(), "backend", k.backend(), "status", Integer.toString(k.status()))
        .description("Client requests by surface, client, route, answering backend and status").register(registry)).increment();
    if (!usage.isEmpty()) {
      ClientMeters c = clientMeters.computeIfAbsent(client, this::clientMeters);
      c.promptTokens().increment(usage.promptTokens());
      c.completionTokens().increment(usage.completionTokens());
      if (price != null) {
        c.cost().increment(usage.costUsd(price.input(), price.output(), price.cachedInput()));
      }
    }
    RouteMeters m = routeMeters.computeIfAbsent(new RouteKey(r, b), this::routeMeters);
    m.latency().record(latencyNanos, TimeUnit.NANOSECONDS);
    if (firstByteNanos > 0) {
      m.firstToken().record(firstByteNanos, TimeUnit.NANOSECONDS);
    }
    if (attempts > 1) {
      m.retries().increment(attempts - 1);
    }
    if (!usage.isEmpty()) {
      m.promptTokens().increment(usage.promptTokens());
      m.completionTokens().increment(usage.completionTokens());
      if (price != null) {
        m.cost().increment(usage.costUsd(price.input(), price.output(), price.cachedInput()));
      }
    }
  }

  private RouteMeters routeMeters(RouteKey k) {
    Tags tags = Tags.of("route", k.route(), "backend", k.backend());
    return new RouteMeters(
        Timer.builder("switchboard.request.duration").tags(tags).serviceLevelObjectives(LATENCY_BUCKETS)
            .description("Time from request to the end of the answer").register(registry),
        Timer.builder("switchboard.time.to.first.token").tags(tags).serviceLevelObjectives(LATENCY_BUCKETS)
            .description("Time from request to the first streamed byte").register(registry),
        Counter.builder("switchboard.tokens").tags(tags).tag("type", "prompt").description("Tokens in prompts").register(registry),
        Counter.builder("switchboard.tokens").tags(tags).tag("type", "completion").description("Tokens in completions").register(registry),
        Counter.builder("switchboard.cost.usd").tags(tags).description("Cost from the backend's model pricing, in US dollars").register(registry),
        Counter.builder("switchboard.retries").tags(tags).description("Tries beyond the first").register(registry));
  }
}
