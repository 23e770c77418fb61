package dev.switchboard.proxy.routing;

import dev.switchboard.proxy.error.SecretMasker;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.proxy.upstream.ProbeResult;
import dev.switchboard.proxy.upstream.ProviderAdapter;

/**
 * A backend at run time: its config, adapter, breaker and last probe. Kept across config
 * reloads while the backend's config is unchanged, so a reload forgets no failures.
 */
public final class BackendState {
  private final BackendConfig config;
  private final ProviderAdapter adapter;
  private final CircuitBreaker breaker;
  private volatile ProbeResult probe;
  private volatile String lastError = "";

  public BackendState(BackendConfig config, ProviderAdapter adapter) {
    this(config, adapter, new CircuitBreaker());
  }

  private BackendState(BackendConfig config, ProviderAdapter adapter, CircuitBreaker breaker) {
    this.config = config;
    this.adapter = adapter;
    this.breaker = breaker;
  }

  /**
   * The state under a config that differs from this one at most in {@code suspended}: the same
   * adapter, breaker and last probe, so suspending and resuming forgets nothing.
   */
  public BackendState reconfigured(BackendConfig next) {
    if (next.equals(config)) {
      return this;
    }
    if (!next.withSuspended(config.suspended()).equals(config)) {
      throw new IllegalArgumentException("only suspension may differ");
    }
    BackendState state = new BackendState(next, adapter, breaker);
    state.probe = probe;
    state.lastError = lastError;
    return state;
  }

  /** Whether the ChatBackend is suspended: it takes no new requests, while probes go on. */
  public boolean suspended() {
    return config.suspended();
  }

  public BackendConfig config() {
    return config;
  }

  public String id() {
    return config.id();
  }

  public ProviderAdapter adapter() {
    return adapter;
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  /** The last probe, or null before the first one. */
  public ProbeResult probe() {
    return probe;
  }

  public void probe(ProbeResult result) {
    this.probe = result;
    if (result.reachable()) {
      breaker.onProbeSuccess(System.nanoTime());
    }
  }

  /** Whether the last probe failed (a soft signal: such backends are tried last). */
  public boolean probeFailing() {
    ProbeResult p = probe;
    return p != null && !p.reachable() && config.healthCheck().enabled();
  }

  /** The last request error (masked), for /admin/status. */
  public String lastError() {
    return lastError;
  }

  public void lastError(String error) {
    this.lastError = SecretMasker.clean(error);
  }
}
