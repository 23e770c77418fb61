package dev.switchboard.proxy.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.proxy.dialect.anthropic.MessagesRequest;
import dev.switchboard.proxy.dialect.anthropic.AnthropicTranslator;
import dev.switchboard.proxy.exchange.ToolNames;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code anthropic}: {@code POST {url}/v1/messages} with {@code x-api-key} and
 * {@code anthropic-version}; requests, answers and stream events translated by
 * {@link AnthropicTranslator}, or passed through when the client speaks Anthropic Messages
 * itself ({@link AnthropicPassThrough}). Model discovery from {@code GET {url}/v1/models}.
 */
public final class AnthropicAdapter implements ProviderAdapter {
  static final HeaderName API_KEY = HeaderNames.create("x-api-key");
  static final HeaderName VERSION = HeaderNames.create("anthropic-version");
  /** Sent as max_tokens when neither the client nor the model spec gives one. */
  static final int DEFAULT_MAX_TOKENS = 4096;

  private final UpstreamHttp http;

  public AnthropicAdapter(UpstreamHttp http) {
    this.http = http;
  }

  @Override
  public UpstreamResponse send(UpstreamCall call) throws UpstreamException {
    BackendConfig backend = call.backend();
    if (call.request() instanceof MessagesRequest messages && messages.passThrough()) {
      return AnthropicPassThrough.send(http, call, messages, headers(backend));
    }
    boolean stream = call.request().stream();
    int maxTokens = NativeCalls.model(call).flatMap(ModelConfig::maxOutputTokens).orElse(DEFAULT_MAX_TOKENS);
    ObjectNode tree = call.requestTree();
    ToolNames names = ToolNames.of(tree, ToolNames.ANTHROPIC);
    ObjectNode body = AnthropicTranslator.request(names.applyTo(tree), maxTokens, stream, backend.id(), call.dropUnsupported(),
        call.continuity(), call.degradations());
    UpstreamHttp.Exchange exchange = NativeCalls.post(http, call, backend.url() + "/v1/messages", headers(backend), body, stream,
        call.timeout());
    if (stream) {
      return new TranslatedStream(backend, exchange, TranslatedStream.Framing.SSE,
          AnthropicTranslator.stream(call.request().includeUsage(), NativeCalls.now(), backend.id(), call.continuity(), names));
    }
    JsonNode message = NativeCalls.readJson(exchange, backend, call.timeout());
    return new Completion(AnthropicTranslator.response(message, NativeCalls.now(), backend.id(), call.continuity(), names),
        AnthropicTranslator.usageOf(message.path("usage")));
  }

  /**
   * Anthropic's own count for a Messages request ({@code POST /v1/messages/count_tokens}, the
   * client's bytes with the model replaced), or empty when the backend could not say.
   */
  public java.util.OptionalLong countTokens(BackendConfig backend, MessagesRequest request, String upstreamModel,
      java.time.Duration timeout) {
    return AnthropicPassThrough.countTokens(http, backend, request, upstreamModel, headers(backend), timeout);
  }

  @Override
  public ProbeResult probe(BackendConfig backend) {
    return NativeCalls.probe(http, backend, backend.url() + "/v1/models?limit=1000", headers(backend), listing -> {
      List<String> ids = new ArrayList<>();
      listing.path("data").forEach(m -> ids.add(m.path("id").asText()));
      return ids;
    });
  }

  static Map<HeaderName, String> headers(BackendConfig backend) {
    return backend.apiKey().isEmpty()
        ? Map.of(VERSION, AnthropicTranslator.API_VERSION)
        : Map.of(API_KEY, backend.apiKey().reveal(), VERSION, AnthropicTranslator.API_VERSION);
  }
}
