package dev.switchboard.proxy.routing;

import dev.switchboard.api.v1alpha1.Strategy;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Orders a route's targets for one request: the first is tried first, the rest are where retries
 * go. Pure: the caller supplies a rotation counter and a random source, and health filtering
 * happens afterwards, so each strategy is tested without sockets.
 */
public interface RoutingStrategy {
  List<TargetState> order(List<TargetState> targets, long turn, RandomGenerator random);

  static RoutingStrategy of(Strategy strategy) {
    return switch (strategy) {
      case FAILOVER -> new FailoverStrategy();
      case ROUND_ROBIN -> new RoundRobinStrategy();
      case WEIGHTED -> new WeightedStrategy();
      case LEAST_LATENCY -> new LeastLatencyStrategy();
    };
  }

  /** The list rotated left by {@code turn}. */
  static <T> List<T> rotate(List<T> items, long turn) {
    int n = items.size();
    if (n <= 1) {
      return items;
    }
    int shift = (int) Math.floorMod(turn, (long) n);
    if (shift == 0) {
      return items;
    }
    java.util.ArrayList<T> out = new java.util.ArrayList<>(n);
    out.addAll(items.subList(shift, n));
    out.addAll(items.subList(0, shift));
    return out;
  }
}
