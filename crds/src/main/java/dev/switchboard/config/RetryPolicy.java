package dev.switchboard.config;

import dev.switchboard.api.v1alpha1.RetryOn;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * @param attempts total tries including the first
 * @param retryOn the failures that may be retried, in enum order
 * @param perTryTimeout timeout of one try; empty means the backend's request timeout
 */
public record RetryPolicy(int attempts, List<RetryOn> retryOn, Optional<Duration> perTryTimeout, Duration backoffBase, Duration backoffMax) {
  public static final RetryPolicy DEFAULTS =
      new RetryPolicy(3, List.of(RetryOn.values()), Optional.empty(), Duration.ofMillis(100), Duration.ofSeconds(2));

  public RetryPolicy {
    retryOn = retryOn.stream().distinct().sorted().toList();
  }

  public boolean retries(RetryOn failure) {
    return retryOn.contains(failure);
  }
}
