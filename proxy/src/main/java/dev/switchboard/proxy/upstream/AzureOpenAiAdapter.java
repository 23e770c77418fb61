package dev.switchboard.proxy.upstream;

import dev.switchboard.config.AzureConfig;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.ModelConfig;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code azure-openai} with {@code api: chat-completions}: {@code POST {url}/openai/deployments/{deployment}/chat/completions?api-version=...}
 * with the {@code api-key} header, or the versionless {@code {url}/openai/v1/chat/completions}
 * when the configured version is {@code v1}. The body is OpenAI's, passed through.
 */
public final class AzureOpenAiAdapter implements ProviderAdapter {
  static final HeaderName API_KEY = HeaderNames.create("api-key");

  private final OpenAiWire wire;

  public AzureOpenAiAdapter(UpstreamHttp http) {
    this.wire = new OpenAiWire(http);
  }

  @Override
  public UpstreamResponse send(UpstreamCall call) throws UpstreamException {
    return wire.chat(call, chatUrl(call.backend(), call.upstreamModel()), auth(call.backend()));
  }

  static String chatUrl(BackendConfig backend, String deployment) {
    return operationUrl(backend, deployment, "chat/completions");
  }

  static String operationUrl(BackendConfig backend, String deployment, String operation) {
    AzureConfig azure = backend.azure().orElseThrow();
    if (azure.v1Api()) {
      return backend.url() + "/openai/v1/" + operation + versionQuery(azure, "?");
    }
    return backend.url() + "/openai/deployments/" + URLEncoder.encode(deployment, StandardCharsets.UTF_8)
        + "/" + operation + "?api-version=" + URLEncoder.encode(azure.apiVersion(), StandardCharsets.UTF_8);
  }

  @Override
  public UpstreamResponse embed(UpstreamCall call) throws UpstreamException {
    return wire.embed(call, operationUrl(call.backend(), call.upstreamModel(), "embeddings"), auth(call.backend()));
  }

  /** The api-version query for the v1 API: none for GA, {@code api-version=preview} for previews. */
  static String versionQuery(AzureConfig azure, String separator) {
    return azure.apiVersion().equals("v1") ? "" : separator + "api-version=preview";
  }

  @Override
  public ProbeResult probe(BackendConfig backend) {
    AzureConfig azure = backend.azure().orElseThrow();
    String url = azure.v1Api()
        ? backend.url() + "/openai/v1/models" + versionQuery(azure, "?")
        : backend.url() + "/openai/models?api-version=" + URLEncoder.encode(azure.apiVersion(), StandardCharsets.UTF_8);
    ProbeResult result = wire.probe(backend, url, auth(backend));
    if (!result.reachable()) {
      return result;
    }
    // Azure lists the models a resource may deploy, not its deployments; the deployments are
    // what requests address, so those are what the backend reports.
    return ProbeResult.ok(result.latencyMillis(), backend.models().stream().map(ModelConfig::upstreamName).distinct().toList());
  }

  static Map<HeaderName, String> auth(BackendConfig backend) {
    return backend.apiKey().isEmpty() ? Map.of() : Map.of(API_KEY, backend.apiKey().reveal());
  }
}
