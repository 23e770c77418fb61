package dev.switchboard.proxy.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proxy.testing.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Redis store's scripts against a real {@code redis-server}: the same answers as {@link Gcra} in memory. */
class RedisQuotaStoreTest {
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void scriptsAnswerLikeTheArithmetic() throws Exception {
    try (RedisServer redis = RedisServer.start(); RedisQuotaStore store = new RedisQuotaStore(URI.create(redis.url()), Duration.ofMillis(250))) {
      assertThat(store.take("c:rpm", 3, 1).allowed()).isTrue();
      assertThat(store.take("c:rpm", 3, 1).allowed()).isTrue();
      assertThat(store.take("c:rpm", 3, 1).allowed()).isTrue();
      Gcra.Decision fourth = store.take("c:rpm", 3, 1);
      assertThat(fourth.allowed()).isFalse();
      assertThat(fourth.retryAfterMicros()).isBetween(19_000_000L, 20_000_000L);
      store.adjust("c:rpm", 3, -1);
      assertThat(store.take("c:rpm", 3, 1).allowed()).as("given back").isTrue();

      assertThat(store.enter("c:in", 1, "a", Duration.ofSeconds(30))).isTrue();
      assertThat(store.enter("c:in", 1, "b", Duration.ofSeconds(30))).isFalse();
      store.leave("c:in", "a");
      assertThat(store.enter("c:in", 1, "b", Duration.ofSeconds(30))).isTrue();

      Instant period = Instant.parse("2026-12-01T00:00:00Z");
      store.spend("c", period, new QuotaStore.Spent(1, 10, 20, 0.25, 1000), Instant.now().plusSeconds(3600));
      store.spend("c", period, new QuotaStore.Spent(1, 1, 2, 0.5, 2000), Instant.now().plusSeconds(3600));
      assertThat(store.spent("c", period)).isEqualTo(new QuotaStore.Spent(2, 11, 22, 0.75, 2000));

      // admit and settle: one script each, all or nothing, the same verdicts as the steps above.
      Instant june = Instant.parse("2026-06-01T00:00:00Z");
      Duration lease = Duration.ofMinutes(1);
      QuotaStore.Admit first = new QuotaStore.Admit("e", june, 0.01, 100, 1000, 600, 1, "r1", lease);
      assertThat(store.admit(first).verdict()).isEqualTo(QuotaStore.Verdict.ADMITTED);
      assertThat(store.admit(new QuotaStore.Admit("e", june, 0.01, 100, 1000, 10, 1, "r2", lease)).verdict())
          .as("one in flight").isEqualTo(QuotaStore.Verdict.MAX_CONCURRENT);
      store.settle(new QuotaStore.Settle("e", "r1", 1000, 20 - 600, june, new QuotaStore.Spent(1, 15, 5, 0.004, 3000),
          Instant.now().plusSeconds(3600)));
      assertThat(store.spent("e", june)).isEqualTo(new QuotaStore.Spent(1, 15, 5, 0.004, 3000));
      assertThat(store.admit(new QuotaStore.Admit("e", june, 0.01, 100, 1000, 900, 1, "r3", lease)).verdict())
          .as("the place is free, and 580 of 600 reserved tokens came back").isEqualTo(QuotaStore.Verdict.ADMITTED);
      QuotaStore.Outcome tokens = store.admit(new QuotaStore.Admit("e", june, 0.01, 100, 1000, 900, 0, "r4", lease));
      assertThat(tokens.verdict()).isEqualTo(QuotaStore.Verdict.TOKENS_PER_MINUTE);
      assertThat(tokens.retryAfterMicros()).isPositive();
      store.settle(new QuotaStore.Settle("e", "r3", 0, 0, june, new QuotaStore.Spent(1, 0, 0, 0.01, 4000), Instant.now().plusSeconds(3600)));
      QuotaStore.Outcome budget = store.admit(new QuotaStore.Admit("e", june, 0.01, 100, 1000, 1, 1, "r5", lease));
      assertThat(budget.verdict()).isEqualTo(QuotaStore.Verdict.BUDGET);
      assertThat(budget.spentUsd()).isEqualTo(0.014, org.assertj.core.api.Assertions.within(1e-9));

      var pool = Executors.newVirtualThreadPerTaskExecutor();
      List<Future<Boolean>> takes = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        takes.add(pool.submit(() -> store.take("d:rpm", 10, 1).allowed()));
      }
      int allowed = 0;
      for (Future<Boolean> f : takes) {
        allowed += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(allowed).isEqualTo(10);
    }
  }
}
