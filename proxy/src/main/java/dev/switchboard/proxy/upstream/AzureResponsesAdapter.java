package dev.switchboard.proxy.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.AzureConfig;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.proxy.dialect.responses.ResponsesRequest;
import dev.switchboard.proxy.dialect.responses.ResponsesTranslator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code azure-openai} with {@code api: responses}: {@code POST {url}/openai/responses?api-version=...},
 * or {@code {url}/openai/v1/responses} when the version is {@code v1}, with {@code api-key};
 * translated by {@link ResponsesTranslator}, or passed through when the client speaks the
 * Responses API itself and keeps no state ({@link ResponsesPassThrough}).
 */
public final class AzureResponsesAdapter implements ProviderAdapter {
  private final UpstreamHttp http;
  private final AzureOpenAiAdapter chat;

  public AzureResponsesAdapter(UpstreamHttp http) {
    this.http = http;
    this.chat = new AzureOpenAiAdapter(http);
  }

  static String url(BackendConfig backend) {
    AzureConfig azure = backend.azure().orElseThrow();
    if (azure.v1Api()) {
      return backend.url() + "/openai/v1/responses" + AzureOpenAiAdapter.versionQuery(azure, "?");
    }
    return backend.url() + "/openai/responses?api-version=" + URLEncoder.encode(azure.apiVersion(), StandardCharsets.UTF_8);
  }

  @Override
  public UpstreamResponse send(UpstreamCall call) throws UpstreamException {
    BackendConfig backend = call.backend();
    if (call.request() instanceof ResponsesRequest responses && responses.passThrough()) {
      return ResponsesPassThrough.send(http, call, responses, url(backend), AzureOpenAiAdapter.auth(backend));
    }
    boolean stream = call.request().stream();
    ObjectNode body = ResponsesTranslator.request(call.requestTree(), stream, backend.id(), call.dropUnsupported(),
        backend.azure().map(a -> a.reasoningSummary().wireName()).orElse("auto"), call.continuity());
    UpstreamHttp.Exchange exchange = NativeCalls.post(http, call, url(backend), AzureOpenAiAdapter.auth(backend), body, stream,
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
    return chat.embed(call); // embeddings deployments are served by the same resource either way
  }

  @Override
  public ProbeResult probe(BackendConfig backend) {
    return chat.probe(backend); // the same resource, the same model listing
  }
}
