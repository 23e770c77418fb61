package dev.switchboard.proxy.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Picks targets at random in proportion to their weight, without replacement, so retries go to
 * the other targets in the same proportions. A weight of 0 takes no traffic at all.
 */
final class WeightedStrategy implements RoutingStrategy {
  @Override
  public List<TargetState> order(List<TargetState> targets, long turn, RandomGenerator random) {
    List<TargetState> pool = new ArrayList<>(targets.size());
    long total = 0;
    for (TargetState t : targets) {
      if (t.config().weight() > 0) {
        pool.add(t);
        total += t.config().weight();
      }
    }
    List<TargetState> out = new ArrayList<>(pool.size());
    while (!pool.isEmpty()) {
      long pick = random.nextLong(total);
      for (int i = 0; i < pool.size(); i++) {
        int weight = pool.get(i).config().weight();
        if (pick < weight) {
          out.add(pool.remove(i));
          total -= weight;
          break;
        }
        pick -= weight;
      }
    }
    return out;
  }
}
