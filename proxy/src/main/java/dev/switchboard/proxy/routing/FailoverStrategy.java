package dev.switchboard.proxy.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/** Lowest priority value first (0 before 1, as in Envoy); targets of equal priority take turns. */
final class FailoverStrategy implements RoutingStrategy {
  @Override
  public List<TargetState> order(List<TargetState> targets, long turn, RandomGenerator random) {
    TreeMap<Integer, List<TargetState>> byPriority = new TreeMap<>();
    for (TargetState t : targets) {
      byPriority.computeIfAbsent(t.config().priority(), p -> new ArrayList<>()).add(t);
    }
    List<TargetState> out = new ArrayList<>(targets.size());
    byPriority.values().forEach(group -> out.addAll(RoutingStrategy.rotate(group, turn)));
    return out;
  }
}
