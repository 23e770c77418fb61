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
 * @param clientKeyHashes SHA-256 hashes ({@code sha256:<hex>}) of keys without limits (the older
 *     {@code clientKeys.existingSecret}); only hashes travel, so no config holds a client key
 * @param clients the accepted ClientKeys, sorted by id
 * @param requireClientKey whether /v1 refuses requests without a known key, even when no key exists
 * @param fleetSize how many proxies share the fleet-wide limits when there is no shared Redis (each enforces its share)
 * @param capabilities the last capability checks of the accepted backends' models (from their status), sorted
 */
public record RoutingConfig(String version, List<BackendConfig> backends, List<RouteConfig> routes, List<String> clientKeyHashes,
    List<ClientConfig> clients, boolean requireClientKey, int fleetSize, List<CapabilityVerdict> capabilities) {
  public RoutingConfig {
    capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    backends = List.copyOf(backends);
    routes = List.copyOf(routes);
    clientKeyHashes = clientKeyHashes == null ? List.of() : List.copyOf(clientKeyHashes.stream().distinct().sorted().toList());
    clients = clients == null ? List.of() : List.copyOf(clients);
    fleetSize = Math.max(1, fleetSize);
  }

  public RoutingConfig(String version, List<BackendConfig> backends, List<RouteConfig> routes) {
    this(version, backends, routes, List.of(), List.of(), false, 1, List.of());
  }

  public RoutingConfig(String version, List<BackendConfig> backends, List<RouteConfig> routes, List<String> clientKeyHashes) {
    this(version, backends, routes, clientKeyHashes, List.of(), false, 1, List.of());
  }

  /** The same config also accepting these keys without limits (given in plain text, kept as hashes), re-versioned. */
  public RoutingConfig withClientKeys(java.util.Collection<String> keys) {
    return RoutingConfigJson.withVersion(new RoutingConfig("", backends, routes, keys.stream().map(ClientKeys::hash).toList(),
        clients, requireClientKey, fleetSize, capabilities));
  }

  /** The same config with the API's key requirement and the fleet's size set, re-versioned. */
  public RoutingConfig withAccess(boolean require, int proxies) {
    return RoutingConfigJson.withVersion(new RoutingConfig("", backends, routes, clientKeyHashes, clients, require, proxies, capabilities));
  }

  /** Whether /v1 needs a key: when asked to, or when any key exists. */
  public boolean keysRequired() {
    return requireClientKey || !clientKeyHashes.isEmpty() || !clients.isEmpty();
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
