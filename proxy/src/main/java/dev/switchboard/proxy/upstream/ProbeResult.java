package dev.switchboard.proxy.upstream;

import dev.switchboard.proxy.error.SecretMasker;
import java.time.Instant;
import java.util.List;

/**
 * One background probe of a backend.
 *
 * @param reason {@code Reachable}, {@code Unreachable}, {@code TLSHandshakeFailed}, {@code Unauthorized} or {@code ProbeFailed}
 * @param error what went wrong, secrets masked; empty when reachable
 * @param models the provider's model listing, when it has one
 */
public record ProbeResult(boolean reachable, String reason, String error, long latencyMillis, List<String> models, Instant at) {
  /** Discovered models kept per probe, and the longest name kept: a listing is the provider's input. */
  public static final int MAX_MODELS = 1000;
  public static final int MAX_MODEL_NAME = 256;

  public ProbeResult {
    error = SecretMasker.clean(error);
    models = models.stream().limit(MAX_MODELS).filter(m -> m.length() <= MAX_MODEL_NAME).toList();
  }

  public static ProbeResult ok(long latencyMillis, List<String> models) {
    return new ProbeResult(true, "Reachable", "", latencyMillis, models, Instant.now());
  }

  /** A probe that got no answer: TLSHandshakeFailed for a refused handshake, ProbeFailed for a malformed answer, else Unreachable. */
  public static ProbeResult failed(UpstreamException e, long latencyMillis) {
    String reason = e.tlsHandshakeFailed() ? "TLSHandshakeFailed"
        : e.kind() == UpstreamException.Kind.PROTOCOL ? "ProbeFailed" : "Unreachable";
    return failed(reason, e.getMessage(), latencyMillis);
  }

  public static ProbeResult failed(String reason, String error, long latencyMillis) {
    return new ProbeResult(false, reason, error, latencyMillis, List.of(), Instant.now());
  }
}
