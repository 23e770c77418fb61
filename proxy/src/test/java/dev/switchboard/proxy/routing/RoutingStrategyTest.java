package dev.switchboard.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.v1alpha1.Strategy;
import dev.switchboard.config.TargetConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RoutingStrategyTest {
  private static TargetState target(String backend, int priority, int weight) {
    return new TargetState(new TargetConfig(backend, "m", "m", priority, weight, null, false), null, new AtomicLong());
  }

  private static List<String> names(List<TargetState> targets) {
    return targets.stream().map(t -> t.config().backend()).toList();
  }

  @Test
  void failoverTriesLowerPriorityFirstAndRotatesWithinAPriority() {
    List<TargetState> targets = List.of(target("backup", 1, 1), target("a", 0, 1), target("b", 0, 1), target("last", 5, 1));
    RoutingStrategy s = RoutingStrategy.of(Strategy.FAILOVER);
    assertThat(names(s.order(targets, 0, new Random(1)))).containsExactly("a", "b", "backup", "last");
    assertThat(names(s.order(targets, 1, new Random(1)))).containsExactly("b", "a", "backup", "last");
  }

  @Test
  void roundRobinStartsAtTheNextTargetEachTime() {
    List<TargetState> targets = List.of(target("a", 0, 1), target("b", 0, 1), target("c", 0, 1));
    RoutingStrategy s = RoutingStrategy.of(Strategy.ROUND_ROBIN);
    assertThat(names(s.order(targets, 0, new Random()))).containsExactly("a", "b", "c");
    assertThat(names(s.order(targets, 1, new Random()))).containsExactly("b", "c", "a");
    assertThat(names(s.order(targets, 5, new Random()))).containsExactly("c", "a", "b");
  }

  @Test
  void weightedFollowsTheWeightsAndSkipsZero() {
    List<TargetState> targets = List.of(target("heavy", 0, 3), target("light", 0, 1), target("off", 0, 0));
    RoutingStrategy s = RoutingStrategy.of(Strategy.WEIGHTED);
    Random random = new Random(42);
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      List<String> order = names(s.order(targets, i, random));
      assertThat(order).containsExactlyInAnyOrder("heavy", "light");
      first.merge(order.get(0), 1, Integer::sum);
    }
    assertThat(first.get("heavy")).isBetween(7_200, 7_800);
  }

  @Test
  void leastLatencyPrefersTheFastestAndTriesUnmeasuredTargets() {
    TargetState slow = target("slow", 0, 1);
    TargetState fast = target("fast", 0, 1);
    TargetState fresh = target("fresh", 0, 1);
    slow.recordLatency(900_000_000);
    fast.recordLatency(100_000_000);
    RoutingStrategy s = RoutingStrategy.of(Strategy.LEAST_LATENCY);
    assertThat(names(s.order(List.of(slow, fast, fresh), 0, new Random()))).containsExactly("fresh", "fast", "slow");
    fast.recordLatency(3_000_000_000L);
    assertThat(fast.latencyNanos()).isEqualTo(100_000_000 + 0.3 * 2_900_000_000L);
    assertThat(names(s.order(List.of(slow, fast), 0, new Random()))).containsExactly("slow", "fast");
  }
}
