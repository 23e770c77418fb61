package dev.switchboard.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.LimitConfig;
import org.junit.jupiter.api.Test;

class BackendLimiterTest {
  @Test
  void limitsConcurrencyAndRequestsPerMinute() {
    BackendLimiter limiter = new BackendLimiter(new LimitConfig(3, 0, 2));
    BackendLimiter.Permit a = limiter.tryAcquire();
    BackendLimiter.Permit b = limiter.tryAcquire();
    assertThat(a).isNotNull();
    assertThat(b).isNotNull();
    assertThat(limiter.tryAcquire()).as("two in flight at most").isNull();
    a.close();
    a.close();
    BackendLimiter.Permit c = limiter.tryAcquire();
    assertThat(c).as("third request of the minute").isNotNull();
    b.close();
    c.close();
    assertThat(limiter.tryAcquire()).as("three per minute at most").isNull();
    assertThat(limiter.retryAfter().toMillis()).isBetween(1000L, 20_000L);
  }

  @Test
  void aSpentTokenBudgetBlocksUntilItRefills() {
    BackendLimiter limiter = new BackendLimiter(new LimitConfig(0, 1000, 0));
    BackendLimiter.Permit p = limiter.tryAcquire();
    p.chargeTokens(5000);
    p.close();
    assertThat(limiter.tryAcquire()).isNull();
    assertThat(new BackendLimiter(LimitConfig.UNLIMITED).tryAcquire()).isNotNull();
  }
}
