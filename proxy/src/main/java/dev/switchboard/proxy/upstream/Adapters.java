package dev.switchboard.proxy.upstream;

import dev.switchboard.config.BackendConfig;

/** Picks the adapter for a backend. Adapters are stateless and shared. */
public final class Adapters {
  private final UpstreamHttp http;
  private final ProviderAdapter openAi;
  private final ProviderAdapter openAiResponses;
  private final ProviderAdapter azureChat;
  private final ProviderAdapter azureResponses;
  private final ProviderAdapter anthropic;
  private final ProviderAdapter gemini;
  private final ProviderAdapter ollama;
  private final ProviderAdapter mock;

  public Adapters(UpstreamHttp http) {
    this.http = http;
    this.openAi = new OpenAiAdapter(http);
    this.openAiResponses = ResponsesAdapter.openAi(http);
    this.azureChat = new AzureOpenAiAdapter(http);
    this.azureResponses = ResponsesAdapter.azure(http);
    this.anthropic = new AnthropicAdapter(http);
    this.gemini = new GeminiAdapter(http);
    this.ollama = new OllamaAdapter(http);
    this.mock = new MockAdapter();
  }

  public UpstreamHttp http() {
    return http;
  }

  public ProviderAdapter forBackend(BackendConfig backend) {
    return switch (backend.provider()) {
      case OPENAI, OPENAI_COMPATIBLE -> backend.speaksResponses() ? openAiResponses : openAi;
      case AZURE_OPENAI -> backend.speaksResponses() ? azureResponses : azureChat;
      case ANTHROPIC -> anthropic;
      case GEMINI -> gemini;
      case OLLAMA -> ollama;
      case MOCK -> mock;
    };
  }
}
