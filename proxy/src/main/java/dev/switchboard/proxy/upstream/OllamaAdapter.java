package dev.switchboard.proxy.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.proxy.dialect.EmbeddingsTranslator;
import dev.switchboard.proxy.dialect.ollama.OllamaTranslator;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ollama}: the native {@code POST {url}/api/chat} (its newline-delimited stream turned into
 * server-sent events), translated by {@link OllamaTranslator}; models from {@code GET {url}/api/tags}.
 *
 * <p>A model that is not loaded yet can take long to give its first token, and Ollama answers
 * nothing until then. A streamed request therefore waits for Ollama's answer as long as the
 * stream-idle timeout allows (raise it for big models), not the request timeout.
 */
public final class OllamaAdapter implements ProviderAdapter {
  private final UpstreamHttp http;

  public OllamaAdapter(UpstreamHttp http) {
    this.http = http;
  }

  @Override
  public UpstreamResponse send(UpstreamCall call) throws UpstreamException {
    BackendConfig backend = call.backend();
    boolean stream = call.request().stream();
    ObjectNode body = OllamaTranslator.request(call.requestTree(), stream, backend.id(), call.dropUnsupported(), call.continuity());
    Duration head = stream ? backend.timeouts().streamIdle() : call.timeout();
    UpstreamHttp.Exchange exchange = NativeCalls.post(http, call, backend.url() + "/api/chat", auth(backend), body, stream, head);
    if (stream) {
      return new TranslatedStream(backend, exchange, TranslatedStream.Framing.NDJSON,
          OllamaTranslator.stream(call.upstreamModel(), call.request().includeUsage(), NativeCalls.now(), backend.id(),
              call.continuity()));
    }
    JsonNode response = NativeCalls.readJson(exchange, backend, call.timeout());
    if (response.has("error")) {
      throw new UpstreamException(UpstreamException.Kind.PROTOCOL, 0, response.path("error").asText()
          + " (backend " + backend.id() + ")", "server_error", "", "", null);
    }
    return new Completion(OllamaTranslator.response(response, NativeCalls.now(), backend.id(), call.continuity()), OllamaTranslator.usageOf(response));
  }

  @Override
  public UpstreamResponse embed(UpstreamCall call) throws UpstreamException {
    BackendConfig backend = call.backend();
    ObjectNode request = call.requestTree();
    ObjectNode body = EmbeddingsTranslator.ollamaRequest(call.upstreamModel(), EmbeddingsTranslator.texts(request, "ollama"), request);
    UpstreamHttp.Exchange exchange = NativeCalls.post(http, call, backend.url() + "/api/embed", auth(backend), body, false,
        call.timeout());
    JsonNode response = NativeCalls.readJson(exchange, backend, call.timeout());
    Usage usage = new Usage(response.path("prompt_eval_count").asLong(0), 0, 0);
    boolean base64 = "base64".equals(request.path("encoding_format").asText(""));
    return new Completion(EmbeddingsTranslator.list(EmbeddingsTranslator.ollamaVectors(response), call.upstreamModel(), base64,
        usage), usage);
  }

  @Override
  public ProbeResult probe(BackendConfig backend) {
    return NativeCalls.probe(http, backend, backend.url() + "/api/tags", auth(backend), listing -> {
      List<String> names = new ArrayList<>();
      listing.path("models").forEach(m -> names.add(m.path("name").asText()));
      return names;
    });
  }

  /** Ollama has no keys of its own, but one behind an authenticating proxy may need a bearer token. */
  static Map<HeaderName, String> auth(BackendConfig backend) {
    return backend.apiKey().isEmpty() ? Map.of() : Map.of(HeaderNames.AUTHORIZATION, "Bearer " + backend.apiKey().reveal());
  }
}
