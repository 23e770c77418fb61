package dev.switchboard;

import dev.switchboard.api.v1alpha1.ModelType;
import dev.switchboard.api.v1alpha1.Provider;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.HealthCheckConfig;
import dev.switchboard.config.LimitConfig;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.SecretValue;
import dev.switchboard.config.TimeoutConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Backend configs for unit tests that need one without compiling manifests. */
public final class TestBackends {
  private TestBackends() {}

  public static BackendConfig withKey(String key) {
    return withLimits(key, LimitConfig.UNLIMITED);
  }

  public static BackendConfig withLimits(LimitConfig limits) {
    return withLimits("", limits);
  }

  private static BackendConfig withLimits(String key, LimitConfig limits) {
    return new BackendConfig("default/b", "default", "b", Provider.OPENAI_COMPATIBLE, "http://127.0.0.1:1/v1",
        SecretValue.of(key), Optional.empty(), null, null,
        List.of(new ModelConfig("m", "m", ModelType.CHAT, Optional.empty(), Optional.empty(), Optional.empty())),
        TimeoutConfig.DEFAULTS, limits, HealthCheckConfig.DEFAULTS, Map.of(), Optional.empty(), false, Optional.empty(), Optional.empty());
  }
}
