package dev.switchboard.config;

import dev.switchboard.api.v1alpha1.BackendApi;
import dev.switchboard.api.v1alpha1.Provider;
import dev.switchboard.api.v1alpha1.ReasoningSummary;
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
 * @param api which OpenAI API an OpenAI-format backend (openai, openai-compatible, azure-openai) is called with
 * @param reasoningSummary with {@code api: responses}, the summary asked for when a translated request reasons
 * @param headers extra non-secret headers, sorted by name
 * @param tls the CA bundle, client certificate and SNI name for an https:// backend, when it sets any
 * @param egress the backend's own egress proxy (or none at all), overriding the proxy pods' environment
 */
public record BackendConfig(
    String id,
    String namespace,
    String name,
    Provider provider,
    String url,
    SecretValue apiKey,
    Optional<AzureConfig> azure,
    BackendApi api,
    ReasoningSummary reasoningSummary,
    List<ModelConfig> models,
    TimeoutConfig timeouts,
    LimitConfig limits,
    HealthCheckConfig healthCheck,
    Map<String, String> headers,
    Optional<MockConfig> mock,
    boolean suspended,
    Optional<BackendTls> tls,
    Optional<BackendEgress> egress) {
  public BackendConfig {
    tls = tls == null ? Optional.empty() : tls;
    egress = egress == null ? Optional.empty() : egress;
    api = api == null ? BackendApi.CHAT_COMPLETIONS : api;
    reasoningSummary = reasoningSummary == null ? ReasoningSummary.AUTO : reasoningSummary;
    models = List.copyOf(models);
    headers = java.util.Collections.unmodifiableMap(new TreeMap<>(headers));
  }

  /** Whether the backend is called with the Responses API. */
  public boolean speaksResponses() {
    return api == BackendApi.RESPONSES;
  }

  /** The same backend, suspended or not: suspending changes nothing a backend's connections or breaker depend on. */
  public BackendConfig withSuspended(boolean value) {
    return value == suspended ? this : new BackendConfig(id, namespace, name, provider, url, apiKey, azure, api, reasoningSummary,
        models, timeouts, limits, healthCheck, headers, mock, value, tls, egress);
  }

  public Optional<ModelConfig> model(String name) {
    return models.stream().filter(m -> m.name().equals(name)).findFirst();
  }
}
