package dev.switchboard.operator.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Combines the proxies' reports into one view per backend. Pure. */
public final class ConnectivityAggregation {
  private ConnectivityAggregation() {}

  public static Map<String, BackendConnectivity> of(List<ProxyReport> reports) {
    Map<String, List<ProxyReport.Backend>> byBackend = new LinkedHashMap<>();
    for (ProxyReport report : reports) {
      for (ProxyReport.Backend b : report.backends()) {
        if (b.reachable().isPresent()) {
          byBackend.computeIfAbsent(b.id(), k -> new ArrayList<>()).add(b);
        }
      }
    }
    Map<String, BackendConnectivity> out = new HashMap<>();
    byBackend.forEach((id, seen) -> out.put(id, combine(seen)));
    return out;
  }

  private static BackendConnectivity combine(List<ProxyReport.Backend> seen) {
    List<Long> latencies = new ArrayList<>();
    Optional<Instant> latest = Optional.empty();
    ProxyReport.Backend latestFailure = null;
    ProxyReport.Backend latestSuccess = null;
    int reachable = 0;
    Comparator<ProxyReport.Backend> byTime = Comparator.comparing(b -> b.probedAt().orElse(Instant.EPOCH));
    for (ProxyReport.Backend b : seen) {
      if (b.probedAt().isPresent() && (latest.isEmpty() || b.probedAt().get().isAfter(latest.get()))) {
        latest = b.probedAt();
      }
      if (b.reachable().orElse(false)) {
        reachable++;
        latencies.add(b.latencyMillis());
        if (latestSuccess == null || byTime.compare(b, latestSuccess) > 0) {
          latestSuccess = b;
        }
      } else if (latestFailure == null || byTime.compare(b, latestFailure) > 0) {
        latestFailure = b;
      }
    }
    latencies.sort(Long::compare);
    Optional<Long> median = latencies.isEmpty() ? Optional.empty() : Optional.of(latencies.get(latencies.size() / 2));
    return new BackendConnectivity(seen.size(), reachable, median, latest,
        latestFailure == null ? "" : latestFailure.reason(),
        latestFailure == null ? "" : latestFailure.lastError(),
        latestSuccess == null ? List.of() : latestSuccess.models());
  }
}
