package dev.switchboard.proxy.api;

import dev.switchboard.api.v1alpha1.ModelType;
import dev.switchboard.proxy.error.ApiError;
import dev.switchboard.proxy.error.ErrorMapping;
import dev.switchboard.proxy.routing.RouteState;
import dev.switchboard.proxy.routing.ServingConfig;
import dev.switchboard.proxy.server.ProxyContext;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * The steps every /v1 POST shares before routing: a request id, a loaded config, a body within
 * the limit, and a route of the right type. Each refusal is answered and logged here.
 */
final class Intake {
  /** A request that may be routed. */
  record Accepted(String requestId, long startNanos, ServingConfig config, byte[] body) {}

  private final ProxyContext context;

  Intake(ProxyContext context) {
    this.context = context;
  }

  Optional<Accepted> accept(ServerRequest req, ServerResponse res) {
    long start = System.nanoTime();
    String requestId = RequestIds.of(req);
    res.header(HttpResponses.REQUEST_ID, requestId);
    Optional<ServingConfig> serving = context.holder().current();
    if (serving.isEmpty()) {
      reject(req, res, requestId, ErrorMapping.notReady(), start);
      return Optional.empty();
    }
    try {
      return Optional.of(new Accepted(requestId, start, serving.get(), RequestBodies.read(req, context.settings().maxBodyBytes())));
    } catch (RequestBodies.TooLarge e) {
      reject(req, res, requestId, ErrorMapping.bodyTooLarge(context.settings().maxBodyBytes()), start);
    } catch (IOException e) {
      reject(req, res, requestId, ErrorMapping.invalidRequest("", "The request body could not be read."), start);
    }
    return Optional.empty();
  }

  /** The route for {@code model}, if it exists and serves {@code type}; otherwise the client gets 404 or 400. */
  Optional<RouteState> route(ServerRequest req, ServerResponse res, Accepted accepted, String model, ModelType type) {
    Optional<RouteState> found = accepted.config().route(model);
    if (found.isEmpty()) {
      reject(req, res, accepted.requestId(), ErrorMapping.modelNotFound(model, accepted.config().modelNames()), accepted.startNanos());
      return Optional.empty();
    }
    if (found.get().config().type() != type) {
      String message = type == ModelType.CHAT
          ? "The model '" + model + "' serves embeddings; use /v1/embeddings."
          : "The model '" + model + "' is a chat model; use /v1/chat/completions.";
      reject(req, res, accepted.requestId(), ErrorMapping.invalidRequest("model", message), accepted.startNanos());
      return Optional.empty();
    }
    return found;
  }

  void reject(ServerRequest req, ServerResponse res, String requestId, ApiError error, long start) {
    res.header(HttpResponses.REQUEST_ID, requestId);
    HttpResponses.error(res, error, "", "", 0);
    RequestRecorder.rejected(context, req, requestId, error, start);
  }
}
