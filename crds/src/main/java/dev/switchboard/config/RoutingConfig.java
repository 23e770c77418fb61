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
 * @param clientKeyHashes SHA-256 hashes ({@code sha256:<hex>}) of the API keys clients must present
 *     on /v1; empty means the API is open. Only hashes travel, so no config holds a client key.
 */
public record RoutingConfig(String version, List<BackendConfig> backends, List<RouteConfig> routes, List<String> clientKeyHashes) {
  public RoutingConfig {
    backends = List.copyOf(backends);
    routes = List.copyOf(routes);
    clientKeyHashes = clientKeyHashes == null ? List.of() : List.copyOf(clientKeyHashes.stream().distinct().sorted().toList());
  }

  public RoutingConfig(String version, List<BackendConfig> backends, List<RouteConfig> routes) {
    this(version, backends, routes, List.of());
  }

  /** The same config requiring these client keys (given in plain text, kept as hashes), re-versioned. */
  public RoutingConfig withClientKeys(java.util.Collection<String> keys) {
    return RoutingConfigJson.withVersion(new RoutingConfig("", backends, routes, keys.stream().map(ClientKeys::hash).toList()));
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
