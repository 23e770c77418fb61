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
