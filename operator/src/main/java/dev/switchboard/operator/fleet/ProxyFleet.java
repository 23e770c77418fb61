package dev.switchboard.operator.fleet;

import dev.switchboard.config.RoutingConfig;
import dev.switchboard.config.RoutingConfigJson;
import dev.switchboard.operator.status.BackendConnectivity;
import dev.switchboard.operator.status.ConnectivityAggregation;
import dev.switchboard.operator.status.ProxyReport;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The proxy pods, followed through an informer on the label selector. Each pod gets the current
 * config as soon as it is Running with an IP, before it is ready; a failed push is retried with
 * backoff (1 s doubling up to 30 s) without holding up the other pods. Every {@code interval}
 * each pod's /admin/status is read: the version tells whether it needs a push (a restarted
 * proxy), the probes feed connectivity. A pod that cannot be reached reports nothing and so
 * makes no backend unreachable by itself.
 */
public final class ProxyFleet implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.operator");
  private static final long MAX_BACKOFF_MILLIS = 30_000;

  /** One proxy pod and where its config stands. */
  private static final class Member {
    final ProxyEndpoint endpoint;
    volatile String version = "";
    volatile boolean pushing;
    volatile int failures;
    volatile long retryAtNanos;
    volatile String lastError = "";

    Member(ProxyEndpoint endpoint) {
      this.endpoint = endpoint;
    }
  }

  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, String> selector;
  private final ProxyClient proxies;
  private final Duration interval;
  private final Consumer<Map<String, BackendConnectivity>> onConnectivity;
  private final Map<String, Member> members = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "switchboard-fleet");
    t.setDaemon(true);
    return t;
  });
  private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
  private final Counter pushed;
  private final Counter pushFailed;
  private final Timer pushTime;
  private volatile Runnable onMembers = () -> {};
  private volatile Consumer<List<ProxyReport>> onReports = reports -> {};
  private volatile RoutingConfig desired;
  private volatile byte[] desiredJson;
  private SharedIndexInformer<Pod> informer;

  public ProxyFleet(KubernetesClient client, String namespace, Map<String, String> selector, ProxyClient proxies, Duration interval,
      Consumer<Map<String, BackendConnectivity>> onConnectivity, MeterRegistry registry) {
    this.client = client;
    this.namespace = namespace;
    this.selector = Map.copyOf(selector);
    this.proxies = proxies;
    this.interval = interval;
    this.onConnectivity = onConnectivity;
    this.pushed = Counter.builder("switchboard.operator.pushes").tag("result", "ok").description("Configs pushed to proxies").register(registry);
    this.pushFailed = Counter.builder("switchboard.operator.pushes").tag("result", "failed").description("Config pushes that failed").register(registry);
    this.pushTime = Timer.builder("switchboard.operator.push.duration").description("Time to push a config to one proxy").register(registry);
    Gauge.builder("switchboard.operator.proxies", members, Map::size).description("Running proxy pods").register(registry);
    Gauge.builder("switchboard.operator.proxies.current", this, f -> f.current()).description("Proxy pods serving the current config")
        .register(registry);
  }

  /** Called when proxies come or go (the config carries their number, for limit shares). */
  public void onMembersChanged(Runnable listener) {
    this.onMembers = listener;
  }

  /** Called with every round of status reports (ClientKey usage is summed from them). */
  public void onReports(Consumer<List<ProxyReport>> listener) {
    this.onReports = listener;
  }

  /** Running proxy pods with an address. */
  public int size() {
    return members.size();
  }

  /** Hands every proxy the fleet's usage sums; a proxy that does not take them gets them on the next round. */
  public void pushUsage(Map<String, dev.switchboard.operator.status.Usage> usage) {
    for (Member m : new ArrayList<>(members.values())) {
      calls.submit(() -> {
        try {
          proxies.pushUsage(m.endpoint, usage);
        } catch (ProxyClient.ProxyCallException e) {
          LOG.log(System.Logger.Level.DEBUG, "usage push failed: " + e.getMessage());
        }
      });
    }
  }

  public void start() {
    informer = client.pods().inNamespace(namespace).withLabels(selector).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        update(pod);
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        update(pod);
      }

      @Override
      public void onDelete(Pod pod, boolean unknown) {
        if (members.values().removeIf(m -> m.endpoint.pod().equals(pod.getMetadata().getName()))) {
          onMembers.run();
        }
      }
    });
    scheduler.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void update(Pod pod) {
    Optional<ProxyEndpoint> endpoint = ProxyEndpoint.of(pod);
    String name = pod.getMetadata().getName();
    int before = members.size();
    if (endpoint.isEmpty()) {
      members.values().removeIf(m -> m.endpoint.pod().equals(name));
    } else {
      ProxyEndpoint e = endpoint.get();
      members.values().removeIf(m -> m.endpoint.pod().equals(name) && !m.endpoint.equals(e));
      Member member = members.computeIfAbsent(e.uid(), k -> new Member(e));
      sync(member);
    }
    if (members.size() != before) {
      onMembers.run();
    }
  }

  /** Makes {@code config} the one every proxy should serve, and pushes it where it is missing. */
  public void publish(RoutingConfig config) {
    desiredJson = RoutingConfigJson.write(config);
    desired = config;
    members.values().forEach(this::sync);
  }

  public List<ProxyEndpoint> endpoints() {
    return members.values().stream().map(m -> m.endpoint).toList();
  }

  /** Whether some proxy is confirmed to serve the current config (capability checks need one). */
  public boolean anyCurrent() {
    return current() > 0;
  }

  /** Proxies confirmed to serve the current config. */
  public int current() {
    RoutingConfig d = desired;
    return d == null ? 0 : (int) members.values().stream().filter(m -> d.version().equals(m.version)).count();
  }

  /** The version each proxy pod is known to serve. */
  public Map<String, String> versions() {
    Map<String, String> out = new java.util.TreeMap<>();
    members.values().forEach(m -> out.put(m.endpoint.pod(), m.version));
    return out;
  }

  private void sync(Member member) {
    RoutingConfig config = desired;
    byte[] json = desiredJson;
    if (config == null || config.version().equals(member.version) || member.pushing || System.nanoTime() < member.retryAtNanos
        || !members.containsKey(member.endpoint.uid())) {
      return;
    }
    member.pushing = true;
    calls.submit(() -> {
      long start = System.nanoTime();
      try {
        proxies.push(member.endpoint, json);
        member.version = config.version();
        member.failures = 0;
        member.lastError = "";
        pushed.increment();
        pushTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        LOG.log(System.Logger.Level.INFO, "proxy " + member.endpoint.pod() + " serves config " + config.version());
      } catch (ProxyClient.ProxyCallException e) {
        member.failures++;
        member.lastError = e.getMessage();
        pushFailed.increment();
        long delay = Math.min(MAX_BACKOFF_MILLIS, 1000L << Math.min(member.failures - 1, 5));
        member.retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
        LOG.log(System.Logger.Level.WARNING, "push of config " + config.version() + " failed (" + e.getMessage()
            + "); retrying in " + delay + " ms");
        scheduler.schedule(() -> sync(member), delay, TimeUnit.MILLISECONDS);
      } finally {
        member.pushing = false;
      }
      if (!config.version().equals(desired == null ? "" : desired.version())) {
        sync(member); // a newer config arrived during the push
      }
    });
  }

  /** Reads every proxy's status: versions (pushing where needed) and connectivity. */
  void poll() {
    try {
      List<ProxyReport> reports = collect(m -> proxies.status(m.endpoint));
      onConnectivity.accept(ConnectivityAggregation.of(reports));
      onReports.accept(reports);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "polling proxies failed: " + e);
    }
  }

  /**
   * Has one proxy (the first by pod name that answers) run a backend's capability checks: they
   * are real, billed requests, so the fleet runs them once, not once per proxy.
   */
  public Optional<List<dev.switchboard.api.v1alpha1.CapabilityStatus>> checkCapabilities(String backendId) {
    RoutingConfig d = desired;
    // Only a proxy that serves the current config knows the backend as it is now.
    List<Member> byName = new ArrayList<>(members.values().stream().filter(m -> d != null && d.version().equals(m.version)).toList());
    byName.sort(java.util.Comparator.comparing(m -> m.endpoint.pod()));
    for (Member m : byName) {
      try {
        return Optional.of(proxies.checkCapabilities(m.endpoint, backendId));
      } catch (ProxyClient.ProxyCallException e) {
        LOG.log(System.Logger.Level.WARNING, "capability checks of " + backendId + " failed: " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Has every proxy probe {@code backendId} now; returns the connectivity they report (other backends included). */
  public Map<String, BackendConnectivity> probeNow(String backendId) {
    return ConnectivityAggregation.of(collect(m -> proxies.probe(m.endpoint, List.of(backendId))));
  }

  @FunctionalInterface
  private interface Call {
    ProxyReport on(Member member) throws ProxyClient.ProxyCallException;
  }

  private List<ProxyReport> collect(Call call) {
    List<Member> all = new ArrayList<>(members.values());
    List<Future<ProxyReport>> futures = new ArrayList<>();
    for (Member m : all) {
      futures.add(calls.submit(() -> call.on(m)));
    }
    List<ProxyReport> reports = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Member m = all.get(i);
      try {
        ProxyReport report = futures.get(i).get(30, TimeUnit.SECONDS);
        reports.add(report);
        String serving = report.version().orElse("");
        if (!serving.equals(m.version)) {
          m.version = serving; // a restarted proxy lost its config: push it again
        }
        sync(m);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // An unreachable proxy says nothing about the backends.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return reports;
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    scheduler.shutdownNow();
    calls.shutdownNow();
  }
}
