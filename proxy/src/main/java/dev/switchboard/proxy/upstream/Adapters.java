package dev.switchboard.proxy.upstream;

import dev.switchboard.api.v1alpha1.AzureApi;
import dev.switchboard.config.BackendConfig;

/** Picks the adapter for a backend. Adapters are stateless and shared. */
public final class Adapters {
  private final UpstreamHttp http;
  private final ProviderAdapter openAi;
  private final ProviderAdapter azureChat;
  private final ProviderAdapter mock;

  public Adapters(UpstreamHttp http) {
    this.http = http;
    this.openAi = new OpenAiAdapter(http);
    this.azureChat = new AzureOpenAiAdapter(http);
    this.mock = new MockAdapter();
  }

  public UpstreamHttp http() {
    return http;
  }

  public ProviderAdapter forBackend(BackendConfig backend) {
    return switch (backend.provider()) {
      case OPENAI, OPENAI_COMPATIBLE -> openAi;
      case AZURE_OPENAI -> backend.azure().map(a -> a.api() == AzureApi.CHAT_COMPLETIONS).orElse(true)
          ? azureChat : new UnsupportedAdapter("the Azure Responses API");
      case MOCK -> mock;
      case ANTHROPIC, GEMINI, OLLAMA -> new UnsupportedAdapter("provider " + backend.provider());
    };
  }

  /** Answers every call with a clear error, for protocols this build does not speak yet. */
  private record UnsupportedAdapter(String what) implements ProviderAdapter {
    @Override
    public UpstreamResponse send(UpstreamCall call) throws UpstreamException {
      throw new UpstreamException(UpstreamException.Kind.HTTP, 501, what + " is not supported by this proxy version (backend "
          + call.backend().id() + ")", "server_error", "unsupported_provider", "", null);
    }

    @Override
    public ProbeResult probe(BackendConfig backend) {
      return ProbeResult.failed("ProbeFailed", what + " is not supported by this proxy version", 0);
    }
  }
}
