package dev.switchboard.config;

import java.util.List;
import java.util.Optional;

/**
 * The compiled routing table: every accepted backend and every route that has at least one
 * usable target. Immutable; {@code version} is the hash of the rest (see {@link RoutingConfigJson}).
 *
 * @param version content hash, for example {@code sha256:3f2a9c1b7d4e0a51}
 * @param backends backends sorted by id
 * @param routes routes sorted by id
 */
public record RoutingConfig(String version, List<BackendConfig> backends, List<RouteConfig> routes) {
  public RoutingConfig {
    backends = List.copyOf(backends);
    routes = List.copyOf(routes);
  }

  /** A config with nothing in it, versioned like any other. */
  public static RoutingConfig empty() {
    return RoutingConfigJson.withVersion(new RoutingConfig("", List.of(), List.of()));
  }

  public Optional<BackendConfig> backend(String id) {
    return backends.stream().filter(b -> b.id().equals(id)).findFirst();
  }

  /** The route a client model name (the route's model or one of its aliases) selects. */
  public Optional<RouteConfig> route(String clientModel) {
    return routes.stream().filter(r -> r.names().contains(clientModel)).findFirst();
  }
}
