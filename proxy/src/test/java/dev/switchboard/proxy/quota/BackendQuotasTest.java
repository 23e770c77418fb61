package dev.switchboard.proxy.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.TestBackends;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.LimitConfig;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackendQuotasTest {
  private static BackendQuotas.Permit take(BackendQuotas quotas, BackendConfig backend, long tokens, String holder) {
    BackendQuotas.Attempt a = quotas.acquire(backend, tokens, holder);
    return a.permit().orElse(null);
  }

  @Test
  void limitsRequestsInFlightAndPerMinute() {
    BackendQuotas quotas = BackendQuotas.local();
    BackendConfig backend = TestBackends.withLimits(new LimitConfig(3, 0, 2));
    BackendQuotas.Permit a = take(quotas, backend, 0, "a");
    BackendQuotas.Permit b = take(quotas, backend, 0, "b");
    assertThat(a).isNotNull();
    assertThat(b).isNotNull();
    BackendQuotas.Attempt third = quotas.acquire(backend, 0, "c");
    assertThat(third.permit()).as("two in flight at most").isEmpty();
    assertThat(third.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    a.close();
    a.close();
    BackendQuotas.Permit c = take(quotas, backend, 0, "c");
    assertThat(c).as("the place a left, and the third request of the minute").isNotNull();
    b.close();
    c.close();
    BackendQuotas.Attempt fourth = quotas.acquire(backend, 0, "d");
    assertThat(fourth.permit()).as("three per minute at most").isEmpty();
    assertThat(fourth.retryAfter().toMillis()).isBetween(1000L, 20_000L);
  }

  @Test
  void tokensAreReservedAndSettledFromWhatWasUsed() {
    BackendQuotas quotas = BackendQuotas.local();
    BackendConfig backend = TestBackends.withLimits(new LimitConfig(0, 1000, 0));
    BackendQuotas.Permit big = take(quotas, backend, 900, "a");
    assertThat(take(quotas, backend, 900, "b")).as("900 of 1000 are reserved").isNull();
    big.used(10);
    big.close();
    BackendQuotas.Permit next = take(quotas, backend, 900, "c");
    assertThat(next).as("what the first did not use came back").isNotNull();
    next.used(5000);
    next.close();
    assertThat(take(quotas, backend, 1, "d")).as("an answer that used more than reserved blocks the minute").isNull();
  }

  @Test
  void withoutASharedStoreEachProxyHoldsItsShare() {
    BackendQuotas quotas = BackendQuotas.local();
    quotas.fleetSize(3);
    BackendConfig backend = TestBackends.withLimits(new LimitConfig(9, 0, 0));
    int served = 0;
    for (int i = 0; i < 9; i++) {
      BackendQuotas.Permit p = take(quotas, backend, 0, "r" + i);
      if (p != null) {
        served++;
        p.close();
      }
    }
    assertThat(served).as("9 per minute over 3 proxies").isEqualTo(3);
  }

  @Test
  void aFailingSharedStoreFallsBackToThisProxysShareAndCountsTheFailure() {
    ClientQuotas health = new ClientQuotas(new FailingSharedStore(), ClientQuotas.OnStoreError.OPEN);
    BackendQuotas quotas = new BackendQuotas(health);
    quotas.fleetSize(2);
    BackendConfig backend = TestBackends.withLimits(new LimitConfig(4, 0, 0));
    int served = 0;
    for (int i = 0; i < 4; i++) {
      BackendQuotas.Permit p = take(quotas, backend, 0, "r" + i);
      if (p != null) {
        served++;
        p.close();
      }
    }
    assertThat(served).as("half of 4: neither unlimited nor refusing everything").isEqualTo(2);
    assertThat(health.storeErrors()).isEqualTo(4);
    assertThat(health.degraded()).isTrue();
  }

  @Test
  void aBackendWithoutLimitsNeverTouchesTheStore() {
    ClientQuotas health = new ClientQuotas(new FailingSharedStore(), ClientQuotas.OnStoreError.CLOSED);
    BackendQuotas.Permit p = take(new BackendQuotas(health), TestBackends.withLimits(LimitConfig.UNLIMITED), 10, "a");
    assertThat(p).isNotNull();
    p.used(10);
    p.close();
    assertThat(health.storeErrors()).isZero();
  }

  /** A shared store whose every call fails, as a Redis that is down does. */
  private static final class FailingSharedStore implements QuotaStore {
    private static Unavailable down() {
      return new Unavailable("down", null);
    }

    @Override
    public Gcra.Decision take(String key, long limit, long cost) {
      throw down();
    }

    @Override
    public void adjust(String key, long limit, long units) {
      throw down();
    }

    @Override
    public boolean enter(String key, int max, String holder, Duration lease) {
      throw down();
    }

    @Override
    public void leave(String key, String holder) {
      throw down();
    }

    @Override
    public void spend(String client, Instant periodStart, Spent spent, Instant keepUntil) {
      throw down();
    }

    @Override
    public Spent spent(String client, Instant periodStart) {
      throw down();
    }

    @Override
    public String describe() {
      return "down";
    }

    @Override
    public boolean shared() {
      return true;
    }
  }
}
