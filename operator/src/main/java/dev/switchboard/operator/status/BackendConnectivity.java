package dev.switchboard.operator.status;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the proxies' probes say about one backend, across proxies.
 *
 * @param reporting proxies that probed it (a proxy that could not be reached counts for nothing)
 * @param reachable how many of those reached it
 * @param reason when none reached it, why: Unreachable, TLSHandshakeFailed, Unauthorized or ProbeFailed
 * @param lastError the most recent probe error, masked by the proxy
 * @param discoveredModels the provider's listing, from the most recent successful probe
 */
public record BackendConnectivity(int reporting, int reachable, Optional<Long> latencyMillis, Optional<Instant> lastProbeTime,
    String reason, String lastError, List<String> discoveredModels) {
  public BackendConnectivity {
    discoveredModels = List.copyOf(discoveredModels);
  }
}
