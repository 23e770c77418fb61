package dev.switchboard.proxy.api;

import dev.switchboard.api.v1alpha1.ModelType;
import dev.switchboard.proxy.error.ApiError;
import dev.switchboard.proxy.error.ErrorMapping;
import dev.switchboard.proxy.request.ChatRequest;
import dev.switchboard.proxy.request.ChatRequestParser;
import dev.switchboard.proxy.request.InvalidRequestException;
import dev.switchboard.proxy.routing.Outcome;
import dev.switchboard.proxy.routing.RouteState;
import dev.switchboard.proxy.routing.ServingConfig;
import dev.switchboard.proxy.server.ProxyContext;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.Optional;

/** {@code POST /v1/chat/completions}, streamed or not. */
public final class ChatCompletionsService implements HttpService {
  private final ProxyContext context;

  public ChatCompletionsService(ProxyContext context) {
    this.context = context;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/chat/completions", this::chat)
        .any("/chat/completions", (req, res) -> reject(req, res, RequestIds.of(req),
            ErrorMapping.methodNotAllowed(req.prologue().method().text(), "/v1/chat/completions"), System.nanoTime()));
  }

  private void chat(ServerRequest req, ServerResponse res) {
    long start = System.nanoTime();
    String requestId = RequestIds.of(req);
    res.header(HttpResponses.REQUEST_ID, requestId);
    Optional<ServingConfig> serving = context.holder().current();
    if (serving.isEmpty()) {
      reject(req, res, requestId, ErrorMapping.notReady(), start);
      return;
    }
    byte[] body;
    try {
      body = RequestBodies.read(req, context.settings().maxBodyBytes());
    } catch (RequestBodies.TooLarge e) {
      reject(req, res, requestId, ErrorMapping.bodyTooLarge(context.settings().maxBodyBytes()), start);
      return;
    } catch (IOException e) {
      reject(req, res, requestId, ErrorMapping.invalidRequest("", "The request body could not be read."), start);
      return;
    }
    ChatRequest request;
    try {
      request = ChatRequestParser.parse(body);
    } catch (InvalidRequestException e) {
      reject(req, res, requestId, ErrorMapping.invalidRequest(e), start);
      return;
    }
    ServingConfig config = serving.get();
    Optional<RouteState> found = config.route(request.model());
    if (found.isEmpty()) {
      reject(req, res, requestId, ErrorMapping.modelNotFound(request.model(), config.modelNames()), start);
      return;
    }
    RouteState route = found.get();
    if (route.config().type() != ModelType.CHAT) {
      reject(req, res, requestId, ErrorMapping.invalidRequest("model",
          "The model '" + request.model() + "' serves embeddings; use /v1/embeddings."), start);
      return;
    }
    Outcome outcome = context.router().route(route, request, requestId, new HttpClientChannel(res), start);
    if (!outcome.committed()) {
      outcome.error().ifPresent(e -> HttpResponses.error(res, e, route.id(), outcome.backend(), outcome.attempts()));
    }
    RequestRecorder.served(context, req, requestId, config, route, request.stream(), outcome, start);
  }

  private void reject(ServerRequest req, ServerResponse res, String requestId, ApiError error, long start) {
    res.header(HttpResponses.REQUEST_ID, requestId);
    HttpResponses.error(res, error, "", "", 0);
    RequestRecorder.rejected(context, req, requestId, error, start);
  }
}
