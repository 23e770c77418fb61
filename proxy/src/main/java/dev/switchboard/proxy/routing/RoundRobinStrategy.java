package dev.switchboard.proxy.routing;

import java.util.List;
import java.util.random.RandomGenerator;

/** Each request starts at the next target; retries continue around the circle. */
final class RoundRobinStrategy implements RoutingStrategy {
  @Override
  public List<TargetState> order(List<TargetState> targets, long turn, RandomGenerator random) {
    return RoutingStrategy.rotate(targets, turn);
  }
}
