package dev.switchboard.proxy.routing;

import dev.switchboard.config.RouteConfig;
import dev.switchboard.proxy.request.RequestRewriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A route at run time: its targets, strategy and pre-encoded defaults. */
public final class RouteState {
  private final RouteConfig config;
  private final List<TargetState> targets;
  private final RoutingStrategy strategy;
  private final List<RequestRewriter.EncodedField> defaults;
  private final AtomicLong turn = new AtomicLong();

  RouteState(RouteConfig config, List<TargetState> targets) {
    this.config = config;
    this.targets = List.copyOf(targets);
    this.strategy = RoutingStrategy.of(config.strategy());
    this.defaults = RequestRewriter.encode(config.defaults());
  }

  public RouteConfig config() {
    return config;
  }

  /** {@code namespace/name}, as reported in the x-switchboard-route header. */
  public String id() {
    return config.id();
  }

  public List<TargetState> targets() {
    return targets;
  }

  public RoutingStrategy strategy() {
    return strategy;
  }

  public List<RequestRewriter.EncodedField> defaults() {
    return defaults;
  }

  /** A counter for rotating strategies. */
  long nextTurn() {
    return turn.getAndIncrement();
  }
}
