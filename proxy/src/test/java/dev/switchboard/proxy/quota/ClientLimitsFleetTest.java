package dev.switchboard.proxy.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.RoutingConfig;
import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.state.ResponseStoreConfig;
import dev.switchboard.proxy.testing.RedisServer;
import dev.switchboard.proxy.testing.TestProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * ClientKey limits held for the fleet: two proxies sharing a real {@code redis-server} together
 * allow exactly a key's requests per minute; tokens per minute are reserved and settled from
 * real usage, streams included; a budget spent on one proxy is refused on both; a stopped Redis
 * follows the configured choice at once. Without Redis each proxy enforces its share.
 */
@org.junit.jupiter.api.Timeout(value = 120, unit = java.util.concurrent.TimeUnit.SECONDS)
class ClientLimitsFleetTest {
  private static String gateway(String limits) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: keys}
        stringData: {team: sk-sb-team}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: mock}
        spec:
          provider: mock
          models: [{name: echo, maxOutputTokens: 900, pricing: {input: 1000, output: 1000}}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: chat}
        spec: {model: chat, targets: [{backendRef: {name: mock}, model: echo}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ClientKey
        metadata: {name: team}
        spec:
          secretRef: {name: keys, key: team}
        %s
        """.formatted(limits.indent(2));
  }

  private static final String CHAT = "{\"model\":\"chat\",\"max_tokens\":900,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";

  private static Settings withRedis(RedisServer redis) {
    return Settings.defaults().withResponseStore(new ResponseStoreConfig(ResponseStoreConfig.Mode.REDIS, 1L << 20, Duration.ofHours(1),
        Optional.of(URI.create(redis.url()))));
  }

  private static List<Integer> concurrently(int n, List<TestProxy> proxies, String body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        TestProxy p = proxies.get(i % proxies.size());
        Callable<Integer> call = () -> {
          TestProxy.Reply r = p.chat(body, "authorization", "Bearer sk-sb-team");
          if (r.status() == 429) {
            assertThat(r.header("retry-after")).as(r.body()).matches("[1-9][0-9]*");
            assertThat(r.json().at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
          }
          return r.status();
        };
        answers.add(pool.submit(call));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : answers) {
        statuses.add(f.get());
      }
      return statuses;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void twoProxiesSharingRedisTogetherAllowExactlyTheLimit() throws Exception {
    try (RedisServer redis = RedisServer.start(); TestProxy one = TestProxy.start(withRedis(redis));
        TestProxy two = TestProxy.start(withRedis(redis))) {
      String manifests = gateway("limits: {requestsPerMinute: 10}");
      one.serve(manifests);
      two.serve(manifests);
      List<Integer> statuses = concurrently(30, List.of(one, two), CHAT);
      assertThat(statuses).filteredOn(s -> s == 200).hasSize(10);
      assertThat(statuses).filteredOn(s -> s == 429).hasSize(20);
    }
  }

  @Test
  void aBackendsLimitsHoldForTheFleetToo() throws Exception {
    try (RedisServer redis = RedisServer.start(); TestProxy one = TestProxy.start(withRedis(redis));
        TestProxy two = TestProxy.start(withRedis(redis))) {
      String manifests = """
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: mock}
          spec:
            provider: mock
            models: [{name: echo}]
            limits: {requestsPerMinute: 10}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: chat}
          spec: {model: chat, targets: [{backendRef: {name: mock}, model: echo}]}
          """;
      one.serve(manifests);
      two.serve(manifests);
      List<Integer> statuses = concurrently(30, List.of(one, two), CHAT);
      assertThat(statuses).as("not 10 per proxy: 10 for both").filteredOn(s -> s == 200).hasSize(10);
      assertThat(statuses).filteredOn(s -> s == 429).hasSize(20);
    }
  }

  @Test
  void tokensPerMinuteAreReservedAndSettledFromRealUsageStreamsIncluded() throws Exception {
    try (RedisServer redis = RedisServer.start(); TestProxy one = TestProxy.start(withRedis(redis));
        TestProxy two = TestProxy.start(withRedis(redis))) {
      String manifests = gateway("limits: {tokensPerMinute: 1000}");
      one.serve(manifests);
      two.serve(manifests);
      // Each request reserves about 925 tokens (its body, and max_tokens 900); each uses about 10.
      for (int i = 0; i < 4; i++) {
        TestProxy p = i % 2 == 0 ? one : two;
        int status = i < 2 ? p.chat(CHAT, "authorization", "Bearer sk-sb-team").status()
            : p.stream(CHAT.replace("{\"model\"", "{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"model\""),
                "authorization", "Bearer sk-sb-team").status();
        assertThat(status).as("request " + i + ": what the last one did not use came back").isEqualTo(200);
      }
      String big = CHAT.replace("hello there", "x".repeat(5000));
      TestProxy.Reply refused = two.chat(big, "authorization", "Bearer sk-sb-team");
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.json().at("/error/message").asText()).as("more than the minute has left").contains("tokens per min (TPM)");
    }
  }

  @Test
  void aSpentBudgetIsRefusedOnEveryProxyAndInEachSurfacesWords() throws Exception {
    try (RedisServer redis = RedisServer.start(); TestProxy one = TestProxy.start(withRedis(redis).withAdminToken("admin"));
        TestProxy two = TestProxy.start(withRedis(redis).withAdminToken("admin"))) {
      String manifests = gateway("budget: {usd: 0.03, period: day}");
      one.serve(manifests);
      two.serve(manifests);
      int served = 0;
      TestProxy.Reply last = null;
      for (int i = 0; i < 10; i++) {
        last = (i % 2 == 0 ? one : two).chat(CHAT, "authorization", "Bearer sk-sb-team");
        if (last.status() != 200) {
          break;
        }
        served++;
      }
      assertThat(served).as("a few thousandths of a dollar a request at these prices").isBetween(2, 9);
      assertThat(last.status()).isEqualTo(429);
      assertThat(last.json().at("/error/code").asText()).isEqualTo("insufficient_quota");
      assertThat(last.header("retry-after")).as("waiting does not help").isEmpty();
      for (TestProxy p : List.of(one, two)) {
        assertThat(p.chat(CHAT, "authorization", "Bearer sk-sb-team").status()).isEqualTo(429);
      }
      for (TestProxy p : List.of(one, two)) {
        var usage = p.admin("GET", "/admin/status", null, "authorization", "Bearer admin").json().at("/clients/0");
        assertThat(usage.get("id").asText()).isEqualTo("default/team");
        assertThat(usage.get("counted").asText()).as("Redis holds the fleet's sum").isEqualTo("fleet");
        assertThat(usage.at("/usage/requests").asLong()).as("both proxies read the same sum").isEqualTo(served);
        assertThat(usage.at("/usage/costUsd").asDouble()).isGreaterThanOrEqualTo(0.03);
        assertThat(usage.at("/usage/lastUsed").asText()).isNotEmpty();
      }
      TestProxy.Reply messages = two.send("POST", two.url() + "/v1/messages",
          "{\"model\":\"chat\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-api-key", "sk-sb-team",
          "anthropic-version", "2023-06-01", "content-type", "application/json");
      assertThat(messages.status()).as("Anthropic answers spent credit with a 400").isEqualTo(400);
      assertThat(messages.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
    }
  }

  @Test
  void aStoppedRedisFollowsTheConfiguredChoiceWithoutAHungRequest() throws Exception {
    RedisServer redis = RedisServer.start();
    try (TestProxy open = TestProxy.start(withRedis(redis));
        TestProxy closed = TestProxy.start(withRedis(redis).onQuotaStoreError(ClientQuotas.OnStoreError.CLOSED))) {
      String manifests = gateway("limits: {requestsPerMinute: 100}");
      open.serve(manifests);
      closed.serve(manifests);
      assertThat(open.chat(CHAT, "authorization", "Bearer sk-sb-team").status()).isEqualTo(200);
      redis.close();
      long start = System.nanoTime();
      assertThat(open.chat(CHAT, "authorization", "Bearer sk-sb-team").status()).as("fail open, the default").isEqualTo(200);
      TestProxy.Reply refused = closed.chat(CHAT, "authorization", "Bearer sk-sb-team");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.json().at("/error/code").asText()).isEqualTo("quota_store_unavailable");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no request waits on a dead Redis").isLessThan(Duration.ofSeconds(10));
      assertThat(open.context().quotas().degraded()).isTrue();
      assertThat(open.context().quotas().storeErrors()).isPositive();
    } finally {
      redis.close();
    }
  }

  @Test
  void withoutRedisEachProxyEnforcesItsShare() {
    try (TestProxy one = TestProxy.start(); TestProxy two = TestProxy.start()) {
      RoutingConfig config = TestProxy.compile(gateway("limits: {requestsPerMinute: 10}")).withAccess(false, 2);
      one.context().holder().apply(config);
      two.context().holder().apply(config);
      for (TestProxy p : List.of(one, two)) {
        int ok = 0;
        for (int i = 0; i < 8; i++) {
          ok += p.chat(CHAT, "authorization", "Bearer sk-sb-team").status() == 200 ? 1 : 0;
        }
        assertThat(ok).as("10 a minute over 2 proxies: 5 each").isEqualTo(5);
      }
    }
  }

  @Test
  void withoutRedisABudgetCountsTheOperatorsSumPlusThisProxysSpendSince() {
    try (TestProxy proxy = TestProxy.start(Settings.defaults().withAdminToken("admin"))) {
      proxy.context().holder().apply(TestProxy.compile(gateway("budget: {usd: 0.03, period: day}")).withAccess(false, 2));
      assertThat(proxy.chat(CHAT, "authorization", "Bearer sk-sb-team").status()).isEqualTo(200);
      var own = proxy.admin("GET", "/admin/status", null, "authorization", "Bearer admin").json().at("/clients/0");
      assertThat(own.get("counted").asText()).as("this proxy's counters, for the operator to add up").isEqualTo("proxy");
      assertThat(own.at("/usage/requests").asLong()).isEqualTo(1);
      String periodStart = own.at("/usage/periodStart").asText();

      // The operator's sum of the fleet (this proxy's request included) leaves less than a request's cost.
      String usage = "{\"clients\":[{\"id\":\"default/team\",\"usage\":{\"periodStart\":\"" + periodStart
          + "\",\"requests\":5,\"costUsd\":0.0295}}]}";
      TestProxy.Reply pushed = proxy.admin("PUT", "/admin/usage", usage, "authorization", "Bearer admin", "content-type", "application/json");
      assertThat(pushed.status()).as(pushed.body()).isEqualTo(200);
      assertThat(proxy.chat(CHAT, "authorization", "Bearer sk-sb-team").status()).as("$0.0295 < $0.03").isEqualTo(200);
      TestProxy.Reply refused = proxy.chat(CHAT, "authorization", "Bearer sk-sb-team");
      assertThat(refused.status()).as("the sum plus the request since").isEqualTo(429);
      assertThat(refused.json().at("/error/code").asText()).isEqualTo("insufficient_quota");
      var after = proxy.admin("GET", "/admin/status", null, "authorization", "Bearer admin").json().at("/clients/0");
      assertThat(after.at("/usage/requests").asLong()).as("its own counters go on from 1").isEqualTo(2);
      assertThat(after.get("budgetSpentUsd").asDouble()).isGreaterThan(0.03);

      assertThat(proxy.admin("PUT", "/admin/usage", "{\"clients\":[{\"id\":\"default/team\",\"usage\":{}}]}",
          "authorization", "Bearer admin").status()).as("no periodStart").isEqualTo(400);
      assertThat(proxy.admin("PUT", "/admin/usage", usage).status()).as("no token").isEqualTo(401);
    }
  }
}
