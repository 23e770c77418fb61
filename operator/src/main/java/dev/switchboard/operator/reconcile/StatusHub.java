package dev.switchboard.operator.reconcile;

import dev.switchboard.api.v1alpha1.ChatBackend;
import dev.switchboard.api.v1alpha1.ModelRoute;
import dev.switchboard.api.v1alpha1.ClientKey;
import dev.switchboard.compiler.BackendOutcome;
import dev.switchboard.compiler.ClientKeyOutcome;
import dev.switchboard.operator.status.ProxyReport;
import dev.switchboard.operator.status.Usage;
import dev.switchboard.operator.status.UsageLedger;
import java.time.Instant;
import java.util.function.BiFunction;
import dev.switchboard.compiler.Compilation;
import dev.switchboard.compiler.ResourceRef;
import dev.switchboard.compiler.RouteOutcome;
import dev.switchboard.compiler.TargetOutcome;
import dev.switchboard.config.RoutingConfig;
import dev.switchboard.operator.status.BackendConnectivity;
import dev.switchboard.operator.status.BackendStatuses;
import dev.switchboard.operator.status.Readiness;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * What statuses are computed from: the latest compilation and the proxies' connectivity. When
 * either changes, the hub triggers a reconcile of each resource whose status may show it (a route
 * shows its backends' readiness), and of no other.
 */
public final class StatusHub implements AutoCloseable {
  private final SimpleInboundEventSource<ChatBackend> backendEvents = new SimpleInboundEventSource<>("switchboard-backend-status");
  private final SimpleInboundEventSource<ModelRoute> routeEvents = new SimpleInboundEventSource<>("switchboard-route-status");
  private final SimpleInboundEventSource<ClientKey> clientEvents = new SimpleInboundEventSource<>("switchboard-clientkey-status");
  private final UsageLedger ledger = new UsageLedger();
  private volatile boolean quotaDegraded;
  private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();
  private volatile Compilation compilation = new Compilation(RoutingConfig.empty(), List.of(), List.of(), List.of(), List.of());
  private volatile boolean compiled;
  private volatile Map<String, BackendConnectivity> connectivity = Map.of();
  private volatile Function<String, Map<String, BackendConnectivity>> prober = id -> Map.of();
  private final Map<String, List<dev.switchboard.api.v1alpha1.CapabilityStatus>> checked = new java.util.concurrent.ConcurrentHashMap<>();

  /** The newest capability checks of a backend, from this operator's runs (its status keeps older ones). */
  public List<dev.switchboard.api.v1alpha1.CapabilityStatus> checked(String backendId) {
    return checked.getOrDefault(backendId, List.of());
  }

  /** Folds in a run of a backend's capability checks and reconciles it, which writes them to its status. */
  public void checked(String backendId, List<dev.switchboard.api.v1alpha1.CapabilityStatus> results) {
    checked.merge(backendId, List.copyOf(results), (old, fresh) -> {
      Map<String, dev.switchboard.api.v1alpha1.CapabilityStatus> byKey = new java.util.LinkedHashMap<>();
      old.forEach(c -> byKey.put(c.model() + "\u0000" + c.capability(), c));
      fresh.forEach(c -> byKey.put(c.model() + "\u0000" + c.capability(), c));
      return List.copyOf(byKey.values());
    });
    int slash = backendId.indexOf('/');
    backendEvents.propagateEvent(new ResourceID(backendId.substring(slash + 1), backendId.substring(0, slash)));
  }

  SimpleInboundEventSource<ChatBackend> backendEvents() {
    return backendEvents;
  }

  SimpleInboundEventSource<ModelRoute> routeEvents() {
    return routeEvents;
  }

  SimpleInboundEventSource<ClientKey> clientEvents() {
    return clientEvents;
  }

  /** The fleet's usage of a ClientKey ({@code namespace/name}) in its current period, once a proxy reported it. */
  public Optional<Usage> usage(String clientId) {
    return ledger.usage(clientId);
  }

  /** Whether some proxy reported that it cannot reach the shared quota store. */
  public boolean quotaDegraded() {
    return quotaDegraded;
  }

  /**
   * Folds a round of proxy reports into the usage sums and returns them; ClientKeys whose usage
   * or degradation changed are reconciled (which writes them at a bounded rate).
   *
   * @param persisted the usage a ClientKey's status holds for a period
   */
  public synchronized Map<String, Usage> reports(List<ProxyReport> reports, BiFunction<String, Instant, Optional<Usage>> persisted) {
    Map<String, Usage> before = ledger.all();
    boolean wasDegraded = quotaDegraded;
    ledger.fold(reports, persisted);
    ledger.retain(reports.stream().map(ProxyReport::proxy).collect(java.util.stream.Collectors.toSet()));
    quotaDegraded = reports.stream().anyMatch(ProxyReport::quotaDegraded);
    Map<String, Usage> after = ledger.all();
    for (ClientKeyOutcome c : compilation.clients()) {
      String id = c.ref().id();
      if (wasDegraded != quotaDegraded || !Objects.equals(before.get(id), after.get(id))) {
        clientEvents.propagateEvent(id(c.ref()));
      }
    }
    return after;
  }

  /** How to make every proxy probe one backend now (the fleet's). */
  public void prober(Function<String, Map<String, BackendConnectivity>> prober) {
    this.prober = prober;
  }

  public Compilation compilation() {
    return compilation;
  }

  public Optional<BackendConnectivity> connectivity(String backendId) {
    return Optional.ofNullable(connectivity.get(backendId));
  }

  public Readiness readiness(String backendId) {
    return BackendStatuses.readiness(backendId, compilation, connectivity(backendId));
  }

  public synchronized void publish(Compilation next) {
    Compilation previous = compilation;
    boolean first = !compiled;
    compilation = next;
    compiled = true;
    Set<String> changedBackends = new HashSet<>();
    Map<ResourceRef, BackendOutcome> before = new HashMap<>();
    previous.backends().forEach(b -> before.put(b.ref(), b));
    for (BackendOutcome b : next.backends()) {
      if (first || !Objects.equals(before.remove(b.ref()), b)) {
        changedBackends.add(b.ref().id());
        backendEvents.propagateEvent(id(b.ref()));
      }
    }
    before.keySet().forEach(gone -> changedBackends.add(gone.id())); // deleted: its routes change
    if (!first && !previous.config().capabilities().equals(next.config().capabilities())) {
      // A route's CapabilitiesVerified reads its backends' checks, which arrive through the config.
      next.config().capabilities().forEach(v -> changedBackends.add(v.backend()));
      previous.config().capabilities().forEach(v -> changedBackends.add(v.backend()));
    }
    Map<ResourceRef, ClientKeyOutcome> clientsBefore = new HashMap<>();
    previous.clients().forEach(c -> clientsBefore.put(c.ref(), c));
    for (ClientKeyOutcome c : next.clients()) {
      if (first || !Objects.equals(clientsBefore.get(c.ref()), c)) {
        clientEvents.propagateEvent(id(c.ref()));
      }
    }
    Map<ResourceRef, RouteOutcome> routesBefore = new HashMap<>();
    previous.routes().forEach(r -> routesBefore.put(r.ref(), r));
    for (RouteOutcome r : next.routes()) {
      if (first || !Objects.equals(routesBefore.get(r.ref()), r) || targets(r, changedBackends)) {
        routeEvents.propagateEvent(id(r.ref()));
      }
    }
  }

  public synchronized void connectivity(Map<String, BackendConnectivity> next) {
    Map<String, BackendConnectivity> previous = connectivity;
    connectivity = Map.copyOf(next);
    Set<String> changed = new HashSet<>();
    Set<String> ids = new HashSet<>(previous.keySet());
    ids.addAll(next.keySet());
    for (String id : ids) {
      if (!Objects.equals(previous.get(id), next.get(id))) {
        changed.add(id);
      }
    }
    for (BackendOutcome b : compilation.backends()) {
      if (changed.contains(b.ref().id())) {
        backendEvents.propagateEvent(id(b.ref()));
      }
    }
    for (RouteOutcome r : compilation.routes()) {
      if (targets(r, changed)) {
        routeEvents.propagateEvent(id(r.ref()));
      }
    }
  }

  /** Probes a backend from every proxy now, then folds the results in (which triggers reconciles). */
  public void probeNow(String backendId) {
    probes.submit(() -> {
      Map<String, BackendConnectivity> fresh = prober.apply(backendId);
      synchronized (this) {
        Map<String, BackendConnectivity> merged = new HashMap<>(connectivity);
        merged.putAll(fresh);
        connectivity(merged);
      }
    });
  }

  private static boolean targets(RouteOutcome route, Set<String> backendIds) {
    for (TargetOutcome t : route.targets()) {
      if (backendIds.contains(route.ref().namespace() + "/" + t.backend())) {
        return true;
      }
    }
    return false;
  }

  private static ResourceID id(ResourceRef ref) {
    return new ResourceID(ref.name(), ref.namespace());
  }

  @Override
  public void close() {
    probes.shutdownNow();
  }
}
