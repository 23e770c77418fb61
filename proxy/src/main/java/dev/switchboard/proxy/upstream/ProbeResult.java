package dev.switchboard.proxy.upstream;

import java.time.Instant;
import java.util.List;

/**
 * One background probe of a backend.
 *
 * @param reason {@code Reachable}, {@code Unreachable}, {@code Unauthorized} or {@code ProbeFailed}
 * @param error what went wrong, secrets masked; empty when reachable
 * @param models the provider's model listing, when it has one
 */
public record ProbeResult(boolean reachable, String reason, String error, long latencyMillis, List<String> models, Instant at) {
  public ProbeResult {
    models = List.copyOf(models);
  }

  public static ProbeResult ok(long latencyMillis, List<String> models) {
    return new ProbeResult(true, "Reachable", "", latencyMillis, models, Instant.now());
  }

  public static ProbeResult failed(String reason, String error, long latencyMillis) {
    return new ProbeResult(false, reason, error, latencyMillis, List.of(), Instant.now());
  }
}
