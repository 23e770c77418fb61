package dev.switchboard.proxy.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.AzureConfig;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.proxy.dialect.responses.ResponsesRequest;
import dev.switchboard.proxy.dialect.responses.ResponsesTranslator;
import io.helidon.http.HeaderName;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/**
 * A backend with {@code api: responses}: {@code POST {url}/responses} with {@code Authorization:
 * Bearer} for {@code openai} and {@code openai-compatible}; for {@code azure-openai}
 * {@code POST {url}/openai/responses?api-version=...}, or {@code {url}/openai/v1/responses} when
 * the version is {@code v1}, with {@code api-key}. Requests are translated by
 * {@link ResponsesTranslator}, or passed through when the client speaks the Responses API itself
 * ({@link ResponsesPassThrough}). Embeddings and probes are the chat adapter's: the same
 * server serves them either way.
 */
public final class ResponsesAdapter implements ProviderAdapter {
  private final UpstreamHttp http;
  private final ProviderAdapter chat;
  private final Function<BackendConfig, String> url;
  private final Function<BackendConfig, Map<HeaderName, String>> auth;

  private ResponsesAdapter(UpstreamHttp http, ProviderAdapter chat, Function<BackendConfig, String> url,
      Function<BackendConfig, Map<HeaderName, String>> auth) {
    this.http = http;
    this.chat = chat;
    this.url = url;
    this.auth = auth;
  }

  static ResponsesAdapter openAi(UpstreamHttp http) {
    return new ResponsesAdapter(http, new OpenAiAdapter(http), b -> b.url() + "/responses", OpenAiAdapter::auth);
  }

  static ResponsesAdapter azure(UpstreamHttp http) {
    return new ResponsesAdapter(http, new AzureOpenAiAdapter(http), ResponsesAdapter::azureUrl, AzureOpenAiAdapter::auth);
  }

  static String azureUrl(BackendConfig backend) {
    AzureConfig azure = backend.azure().orElseThrow();
    if (azure.v1Api()) {
      return backend.url() + "/openai/v1/responses" + AzureOpenAiAdapter.versionQuery(azure, "?");
    }
    return backend.url() + "/openai/responses?api-version=" + URLEncoder.encode(azure.apiVersion(), StandardCharsets.UTF_8);
  }

  @Override
  public UpstreamResponse send(UpstreamCall call) throws UpstreamException {
    BackendConfig backend = call.backend();
    if (call.request() instanceof ResponsesRequest responses && responses.passThroughTo(backend.id())) {
      try {
        return ResponsesPassThrough.send(http, call, responses, url.apply(backend), auth.apply(backend));
      } catch (UpstreamException e) {
        // The backend lost what it stored (restarted, expired, deleted): the gateway's copy of the
        // conversation still continues it, translated.
        if (responses.previousNative().isEmpty() || !"previous_response_not_found".equals(e.errorCode())) {
          throw e;
        }
      }
    }
    boolean stream = call.request().stream();
    ObjectNode body = ResponsesTranslator.request(call.requestTree(), stream, backend.id(), call.dropUnsupported(),
        backend.reasoningSummary().wireName(), call.continuity());
    UpstreamHttp.Exchange exchange = NativeCalls.post(http, call, url.apply(backend), auth.apply(backend), body, stream,
        call.timeout());
    if (stream) {
      return new TranslatedStream(backend, exchange, TranslatedStream.Framing.SSE,
          ResponsesTranslator.stream(call.upstreamModel(), call.request().includeUsage(), NativeCalls.now(), backend.id(),
              call.continuity()));
    }
    JsonNode response = NativeCalls.readJson(exchange, backend, call.timeout());
    return new Completion(ResponsesTranslator.response(response, NativeCalls.now(), backend.id(), call.continuity()),
        ResponsesTranslator.usageOf(response.path("usage")));
  }

  @Override
  public UpstreamResponse embed(UpstreamCall call) throws UpstreamException {
    return chat.embed(call);
  }

  @Override
  public ProbeResult probe(BackendConfig backend) {
    return chat.probe(backend);
  }
}
