package dev.switchboard.proxy.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The target with the lowest moving average of time to first byte first. Targets not measured
 * yet count as fastest, so every target gets tried; ties take turns.
 */
final class LeastLatencyStrategy implements RoutingStrategy {
  @Override
  public List<TargetState> order(List<TargetState> targets, long turn, RandomGenerator random) {
    List<TargetState> out = new ArrayList<>(RoutingStrategy.rotate(targets, turn));
    out.sort(Comparator.comparingDouble(TargetState::latencyNanos)); // stable: ties keep the rotation
    return out;
  }
}
