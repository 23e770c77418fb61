package dev.switchboard.proxy.server;

import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.RoutingConfig;
import dev.switchboard.proxy.error.SecretMasker;
import dev.switchboard.config.RoutingConfigValidator;
import dev.switchboard.proxy.observe.ProxyMetrics;
import dev.switchboard.proxy.routing.ServingConfig;
import dev.switchboard.proxy.upstream.Adapters;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The config being served. A new config is validated and swapped in atomically; a request reads
 * the holder once and finishes on that config, whatever happens meanwhile.
 */
public final class ConfigHolder {
  /** The result of offering a config. */
  public record Applied(boolean accepted, boolean changed, String version, List<String> problems) {}

  private final Adapters adapters;
  private final ProxyMetrics metrics;
  private final List<Consumer<ServingConfig>> listeners = new CopyOnWriteArrayList<>();
  private volatile ServingConfig current;
  private final String secretSource = "config-" + System.identityHashCode(this);

  public ConfigHolder(Adapters adapters, ProxyMetrics metrics) {
    this.adapters = adapters;
    this.metrics = metrics;
  }

  public Optional<ServingConfig> current() {
    return Optional.ofNullable(current);
  }

  public void onChange(Consumer<ServingConfig> listener) {
    listeners.add(listener);
  }

  /** Validates and serves {@code config}; a config with any problem is refused whole. */
  public synchronized Applied apply(RoutingConfig config) {
    List<String> problems = RoutingConfigValidator.problems(config);
    if (!problems.isEmpty()) {
      metrics.configRejected();
      return new Applied(false, false, config.version(), problems);
    }
    ServingConfig previous = current;
    if (previous != null && previous.version().equals(config.version())) {
      return new Applied(true, false, config.version(), List.of());
    }
    // Known before the first request can fail: every error text is masked with these keys.
    SecretMasker.register(secretSource, config.backends().stream().map(BackendConfig::apiKey).toList());
    ServingConfig next = ServingConfig.build(config, Optional.ofNullable(previous), adapters);
    current = next;
    metrics.configApplied(next);
    listeners.forEach(l -> l.accept(next));
    return new Applied(true, true, config.version(), List.of());
  }
}
