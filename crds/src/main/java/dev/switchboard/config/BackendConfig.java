package dev.switchboard.config;

import dev.switchboard.api.v1alpha1.Provider;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One accepted backend with everything resolved: the URL (provider default applied, no trailing
 * slash), the API key, timeouts and limits with defaults filled in.
 *
 * @param id {@code namespace/name}, unique in a config
 * @param url base URL without trailing slash; empty for the mock provider
 * @param apiKey the key from the referenced Secret, or empty
 * @param headers extra non-secret headers, sorted by name
 */
public record BackendConfig(
    String id,
    String namespace,
    String name,
    Provider provider,
    String url,
    SecretValue apiKey,
    Optional<AzureConfig> azure,
    List<ModelConfig> models,
    TimeoutConfig timeouts,
    LimitConfig limits,
    HealthCheckConfig healthCheck,
    Map<String, String> headers,
    Optional<MockConfig> mock) {
  public BackendConfig {
    models = List.copyOf(models);
    headers = java.util.Collections.unmodifiableMap(new TreeMap<>(headers));
  }

  public Optional<ModelConfig> model(String name) {
    return models.stream().filter(m -> m.name().equals(name)).findFirst();
  }
}
