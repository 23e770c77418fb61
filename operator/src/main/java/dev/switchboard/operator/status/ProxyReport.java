package dev.switchboard.operator.status;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One proxy's /admin/status.
 *
 * @param version the config version it serves, empty when it has none
 */
public record ProxyReport(String proxy, Optional<String> version, List<Backend> backends, List<Client> clients, boolean quotaDegraded) {
  /**
   * One ClientKey's usage in its current period as that proxy counts it.
   *
   * @param fleet whether it is the fleet's sum (a shared Redis) rather than this proxy's own counters
   */
  public record Client(String id, boolean fleet, Usage usage) {}

  public ProxyReport(String proxy, Optional<String> version, List<Backend> backends) {
    this(proxy, version, backends, List.of(), false);
  }

  /** One backend as that proxy saw it; {@code reachable} is empty before its first probe. */
  public record Backend(String id, boolean probing, Optional<Boolean> reachable, String reason, long latencyMillis,
      Optional<Instant> probedAt, String lastError, List<String> models) {}

  public ProxyReport {
    backends = List.copyOf(backends);
    clients = List.copyOf(clients);
  }
}
