package dev.switchboard.proxy.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.proxy.dialect.EmbeddingsTranslator;
import dev.switchboard.proxy.dialect.gemini.GeminiTranslator;
import dev.switchboard.proxy.exchange.ToolNames;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code gemini}: {@code POST {url}/v1beta/models/{model}:generateContent} and
 * {@code :streamGenerateContent?alt=sse} with {@code x-goog-api-key}, translated by
 * {@link GeminiTranslator}; model discovery from {@code GET {url}/v1beta/models}.
 */
public final class GeminiAdapter implements ProviderAdapter {
  static final HeaderName API_KEY = HeaderNames.create("x-goog-api-key");

  private final UpstreamHttp http;

  public GeminiAdapter(UpstreamHttp http) {
    this.http = http;
  }

  static String modelUrl(BackendConfig backend, String model, String method) {
    return backend.url() + "/v1beta/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8) + ":" + method;
  }

  @Override
  public UpstreamResponse send(UpstreamCall call) throws UpstreamException {
    BackendConfig backend = call.backend();
    boolean stream = call.request().stream();
    ObjectNode tree = call.requestTree();
    ToolNames names = ToolNames.of(tree, ToolNames.GEMINI);
    ObjectNode body = GeminiTranslator.request(names.applyTo(tree), backend.id(), call.dropUnsupported(), call.continuity(),
        call.degradations());
    String url = modelUrl(backend, call.upstreamModel(), stream ? "streamGenerateContent?alt=sse" : "generateContent");
    UpstreamHttp.Exchange exchange = NativeCalls.post(http, call, url, auth(backend), body, stream, call.timeout());
    if (stream) {
      return new TranslatedStream(backend, exchange, TranslatedStream.Framing.SSE,
          GeminiTranslator.stream(call.upstreamModel(), call.request().includeUsage(), NativeCalls.now(), backend.id(),
              call.continuity(), names));
    }
    JsonNode response = NativeCalls.readJson(exchange, backend, call.timeout());
    return new Completion(GeminiTranslator.response(response, call.upstreamModel(), NativeCalls.now(), backend.id(), call.continuity(),
        names),
        GeminiTranslator.usageOf(response.path("usageMetadata")));
  }

  @Override
  public UpstreamResponse embed(UpstreamCall call) throws UpstreamException {
    BackendConfig backend = call.backend();
    ObjectNode request = call.requestTree();
    java.util.List<String> texts = EmbeddingsTranslator.texts(request, "gemini");
    boolean single = request.path("input").isTextual();
    ObjectNode body = single
        ? EmbeddingsTranslator.geminiSingleRequest(texts.get(0), request.get("dimensions"))
        : EmbeddingsTranslator.geminiRequest(call.upstreamModel(), texts, request.get("dimensions"));
    String url = modelUrl(backend, call.upstreamModel(), single ? "embedContent" : "batchEmbedContents");
    UpstreamHttp.Exchange exchange = NativeCalls.post(http, call, url, auth(backend), body, false, call.timeout());
    JsonNode response = NativeCalls.readJson(exchange, backend, call.timeout());
    boolean base64 = "base64".equals(request.path("encoding_format").asText(""));
    return new Completion(EmbeddingsTranslator.list(EmbeddingsTranslator.geminiVectors(response), call.upstreamModel(), base64,
        Usage.NONE), Usage.NONE);
  }

  @Override
  public ProbeResult probe(BackendConfig backend) {
    return NativeCalls.probe(http, backend, backend.url() + "/v1beta/models?pageSize=1000", auth(backend), listing -> {
      List<String> names = new ArrayList<>();
      listing.path("models").forEach(m -> names.add(m.path("name").asText().replaceFirst("^models/", "")));
      return names;
    });
  }

  static Map<HeaderName, String> auth(BackendConfig backend) {
    return backend.apiKey().isEmpty() ? Map.of() : Map.of(API_KEY, backend.apiKey().reveal());
  }
}
