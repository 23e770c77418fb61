package dev.switchboard.proxy.routing;

import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.RouteConfig;
import dev.switchboard.config.RoutingConfig;
import dev.switchboard.config.TargetConfig;
import dev.switchboard.proxy.upstream.Adapters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loaded RoutingConfig with what serving needs: routes by every name clients may send, and
 * backend state. Immutable once built; a reload builds a new one and requests in flight finish on
 * the one they started with. Backend state and target latencies are carried over from the
 * previous config wherever a backend's config is unchanged.
 */
public final class ServingConfig {
  private final RoutingConfig config;
  private final Map<String, RouteState> routesByName;
  private final Map<String, BackendState> backends;
  private final Map<String, AtomicLong> latencies;
  private final Instant loadedAt;
  private final Map<String, dev.switchboard.config.ClientConfig> clientsByHash;

  private ServingConfig(RoutingConfig config, Map<String, RouteState> routesByName, Map<String, BackendState> backends,
      Map<String, AtomicLong> latencies) {
    this.config = config;
    this.routesByName = routesByName;
    this.backends = backends;
    this.latencies = latencies;
    this.loadedAt = Instant.now();
    Map<String, dev.switchboard.config.ClientConfig> clients = new HashMap<>();
    config.clients().forEach(c -> clients.put(c.keyHash(), c));
    this.clientsByHash = Map.copyOf(clients);
  }

  /** The ClientKey whose key hashes to {@code hash}, if one does. */
  public Optional<dev.switchboard.config.ClientConfig> client(String hash) {
    return Optional.ofNullable(clientsByHash.get(hash));
  }

  public static ServingConfig build(RoutingConfig config, Optional<ServingConfig> previous, Adapters adapters) {
    Map<String, BackendState> backends = new LinkedHashMap<>();
    for (BackendConfig backend : config.backends()) {
      BackendState kept = previous.map(p -> p.backends.get(backend.id()))
          .filter(state -> state.config().equals(backend.withSuspended(state.config().suspended())))
          .map(state -> state.reconfigured(backend))
          .orElse(null);
      backends.put(backend.id(), kept != null ? kept : new BackendState(backend, adapters.forBackend(backend)));
    }
    Map<String, AtomicLong> latencies = new HashMap<>();
    Map<String, RouteState> byName = new LinkedHashMap<>();
    for (RouteConfig route : config.routes()) {
      List<TargetState> targets = new ArrayList<>();
      for (TargetConfig target : route.targets()) {
        String key = route.id() + "|" + target.backend() + "|" + target.model();
        AtomicLong cell = previous.map(p -> p.latencies.get(key))
            .filter(c -> previous.get().backends.get(target.backend()) != null
                && backends.get(target.backend()).adapter() == previous.get().backends.get(target.backend()).adapter())
            .orElseGet(AtomicLong::new);
        latencies.put(key, cell);
        targets.add(new TargetState(target, backends.get(target.backend()), cell));
      }
      RouteState state = new RouteState(route, targets);
      route.names().forEach(name -> byName.put(name, state));
    }
    return new ServingConfig(config, Map.copyOf(byName), backends, latencies);
  }

  public RoutingConfig config() {
    return config;
  }

  public String version() {
    return config.version();
  }

  public Instant loadedAt() {
    return loadedAt;
  }

  /**
   * A one-target, one-attempt route straight to a backend model, for the console's playground
   * (admins may call any backend directly there; the public API reaches backends through routes).
   */
  public Optional<RouteState> direct(String backendId, String model) {
    BackendState backend = backends.get(backendId);
    if (backend == null) {
      return Optional.empty();
    }
    return backend.config().model(model).map(m -> {
      TargetConfig target = new TargetConfig(backendId, model, m.upstreamName(), 0, 1, null, false);
      return new RouteState(RouteConfig.direct("console/" + backendId + "/" + model, backend.config().namespace(),
          backend.config().name() + "/" + model, "console playground", m.type(), target),
          List.of(new TargetState(target, backend, new AtomicLong())));
    });
  }

  public Optional<RouteState> route(String clientModel) {
    return Optional.ofNullable(routesByName.get(clientModel));
  }

  /** Every name clients may send, sorted. */
  public List<String> modelNames() {
    return routesByName.keySet().stream().sorted().toList();
  }

  /** The names whose route passes {@code mayCall} (given the route's model and aliases): what one client may see. */
  public List<String> modelNames(java.util.function.Predicate<List<String>> mayCall) {
    return routesByName.entrySet().stream().filter(e -> mayCall.test(e.getValue().config().names()))
        .map(Map.Entry::getKey).sorted().toList();
  }

  public Map<String, BackendState> backends() {
    return backends;
  }
}
