package dev.switchboard.proxy.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.TargetConfig;
import dev.switchboard.proxy.request.RequestRewriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A route target at run time: its backend, pre-encoded parameters and recent latency. */
public final class TargetState {
  private static final double ALPHA = 0.3;

  private final TargetConfig config;
  private final BackendState backend;
  private final List<RequestRewriter.EncodedField> overrides;
  private final AtomicLong latencyBits;

  TargetState(TargetConfig config, BackendState backend, AtomicLong latencyBits) {
    this.config = config;
    this.backend = backend;
    this.overrides = RequestRewriter.encode(config.parameters());
    this.latencyBits = latencyBits;
  }

  public TargetConfig config() {
    return config;
  }

  public BackendState backend() {
    return backend;
  }

  /** Whether this target takes no new requests: suspended in its route, or its whole backend suspended. */
  public boolean suspended() {
    return config.suspended() || backend.suspended();
  }

  public List<RequestRewriter.EncodedField> overrides() {
    return overrides;
  }

  public ObjectNode overridesTree() {
    return config.parameters();
  }

  /** Exponentially weighted moving average of time to first byte, in nanoseconds; 0 before any. */
  public double latencyNanos() {
    return Double.longBitsToDouble(latencyBits.get());
  }

  AtomicLong latencyCell() {
    return latencyBits;
  }

  public void recordLatency(long nanos) {
    // Lost updates under a race only blur the average, which is all it is.
    double previous = latencyNanos();
    double next = previous == 0 ? nanos : previous + ALPHA * (nanos - previous);
    latencyBits.set(Double.doubleToRawLongBits(next));
  }

  @Override
  public String toString() {
    return config.backend() + "/" + config.model();
  }
}
