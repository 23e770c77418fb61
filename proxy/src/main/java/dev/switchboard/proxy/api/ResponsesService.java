package dev.switchboard.proxy.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.v1alpha1.ModelType;
import dev.switchboard.proxy.dialect.responses.ResponsesRequest;
import dev.switchboard.proxy.dialect.responses.ResponsesRequestDecoder;
import dev.switchboard.proxy.error.ApiError;
import dev.switchboard.proxy.error.ErrorMapping;
import dev.switchboard.proxy.error.Quote;
import dev.switchboard.proxy.request.InvalidRequestException;
import dev.switchboard.proxy.routing.Outcome;
import dev.switchboard.proxy.routing.RouteState;
import dev.switchboard.proxy.server.ProxyContext;
import dev.switchboard.proxy.state.ResponseStore;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The OpenAI Responses surface: {@code POST /v1/responses}, streamed or not, and the stored
 * responses ({@code GET} and {@code DELETE /v1/responses/{id}}, {@code GET
 * /v1/responses/{id}/input_items}), each visible only to the client key that created it.
 * Requests are decoded by the Responses codec and routed like every other chat request.
 */
public final class ResponsesService implements HttpService {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProxyContext context;
  private final Intake intake;

  public ResponsesService(ProxyContext context) {
    this.context = context;
    this.intake = new Intake(context);
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/responses", this::create)
        .post("/responses/compact", (req, res) -> intake.reject(req, res, RequestIds.of(req), new ApiError(404, "invalid_request_error",
            "not_found", "", "Switchboard does not serve /v1/responses/compact (OpenAI's own compaction): a client compacts its"
            + " conversation itself, or sends it whole."), System.nanoTime()))
        .get("/responses/{id}/input_items", this::inputItems)
        .get("/responses/{id}", this::retrieve)
        .delete("/responses/{id}", this::delete)
        .any("/responses", this::notHere);
  }

  /**
   * A WebSocket upgrade (Codex tries one first when a provider allows it) gets a plain 426 at once:
   * Codex falls back to HTTP on it without retrying, as it does against OpenAI. Other methods get 405.
   */
  private void notHere(ServerRequest req, ServerResponse res) {
    boolean upgrade = req.headers().first(HeaderNames.UPGRADE).map(v -> v.equalsIgnoreCase("websocket")).orElse(false);
    ApiError error = upgrade
        ? new ApiError(426, "invalid_request_error", "websocket_not_supported", "",
            "Switchboard serves /v1/responses over HTTP only: send the request as a POST.")
        : ErrorMapping.methodNotAllowed(req.prologue().method().text(), "/v1/responses");
    intake.reject(req, res, RequestIds.of(req), error, System.nanoTime());
  }

  private void create(ServerRequest req, ServerResponse res) {
    Optional<Intake.Accepted> accepted = intake.accept(req, res);
    if (accepted.isEmpty()) {
      return;
    }
    try (Intake.Accepted a = accepted.get()) {
      ResponsesRequest request;
      try {
        request = ResponsesRequestDecoder.decode(a.body(), id -> history(a.clientScope(), id));
      } catch (InvalidRequestException e) {
        intake.reject(req, res, a.requestId(), ErrorMapping.invalidRequest(e), a.startNanos());
        return;
      } catch (ResponseStore.Unavailable e) {
        intake.reject(req, res, a.requestId(), storeUnavailable(e), a.startNanos());
        return;
      } catch (ResponsesRequestDecoder.UnknownResponse e) {
        intake.reject(req, res, a.requestId(), new ApiError(404, "invalid_request_error", "previous_response_not_found",
            "previous_response_id", e.getMessage() + " It may have expired, been deleted, been created with another key, or been"
            + " stored by another gateway replica without a shared store."), a.startNanos());
        return;
      }
      if (!context.responses().keeps()) {
        request = request.withoutStore(); // and no Responses backend keeps it in the gateway's place
      }
      Optional<RouteState> route = intake.route(req, res, a, request.model(), ModelType.CHAT);
      if (route.isEmpty() || !intake.admit(req, res, a, route.get(), request)) {
        return;
      }
      ResponsesClientChannel channel = new ResponsesClientChannel(res, request, context.responses(), a.clientScope());
      Outcome outcome = context.router().route(route.get(), request, a.requestId(), channel, a.startNanos(), a.lease(), a.clientScope());
      if (!outcome.committed()) {
        outcome.error().ifPresent(e -> HttpResponses.error(res, e, route.get().id(), outcome.backend(), outcome.attempts()));
      }
      RequestRecorder.served(context, req, a.requestId(), a.config(), route.get(), request.stream(), outcome, a.startNanos());
    }
  }

  private Optional<ResponsesRequest.Prior> history(String owner, String id) {
    return context.responses().get(owner, id).map(s -> {
      try {
        Optional<ResponsesRequest.Native> held = s.nativeBackend().isEmpty()
            ? Optional.empty() : Optional.of(new ResponsesRequest.Native(s.nativeBackend(), s.nativeId()));
        return new ResponsesRequest.Prior((ArrayNode) JSON.readTree(s.history()), held);
      } catch (IOException e) {
        throw new IllegalStateException("a stored conversation is always JSON", e);
      }
    });
  }

  /** The store is down: a retryable 503, never a false "not found". */
  private static ApiError storeUnavailable(ResponseStore.Unavailable e) {
    return new ApiError(503, "service_unavailable", "store_unavailable", "", "Stored responses cannot be read now: "
        + e.getMessage() + ". Retry, or send the whole conversation with store: false.", Optional.of(java.time.Duration.ofSeconds(1)));
  }

  private Optional<ResponseStore.Stored> stored(ServerRequest req, ServerResponse res) {
    String id = req.path().pathParameters().get("id");
    res.header(HttpResponses.REQUEST_ID, RequestIds.of(req));
    Optional<ResponseStore.Stored> stored;
    try {
      stored = context.responses().get(ClientAuth.scope(req), id);
    } catch (ResponseStore.Unavailable e) {
      HttpResponses.error(res, storeUnavailable(e), "", "", 0);
      return Optional.empty();
    }
    if (stored.isEmpty()) {
      HttpResponses.error(res, new ApiError(404, "invalid_request_error", "not_found", "",
          "Response with id '" + Quote.of(id) + "' not found."), "", "", 0);
    }
    return stored;
  }

  private void retrieve(ServerRequest req, ServerResponse res) {
    stored(req, res).ifPresent(s -> {
      res.header(HeaderNames.CONTENT_TYPE, HttpResponses.JSON);
      res.send(s.response());
    });
  }

  private void delete(ServerRequest req, ServerResponse res) {
    stored(req, res).ifPresent(s -> {
      try {
        context.responses().delete(s.owner(), s.id());
      } catch (ResponseStore.Unavailable e) {
        HttpResponses.error(res, storeUnavailable(e), "", "", 0);
        return;
      }
      res.header(HeaderNames.CONTENT_TYPE, HttpResponses.JSON);
      res.send(JSON.createObjectNode().put("id", s.id()).put("object", "response").put("deleted", true).toString());
    });
  }

  /** The request's input items, newest first unless {@code order=asc}, at most {@code limit} (20; 1 to 100). */
  private void inputItems(ServerRequest req, ServerResponse res) {
    stored(req, res).ifPresent(s -> {
      List<JsonNode> items = new ArrayList<>();
      try {
        JSON.readTree(s.inputItems()).forEach(items::add);
      } catch (IOException e) {
        throw new IllegalStateException("stored items are always JSON", e);
      }
      if (!"asc".equals(req.query().first("order").orElse("desc"))) {
        java.util.Collections.reverse(items);
      }
      int limit = req.query().first("limit").map(v -> {
        try {
          return Math.max(1, Math.min(100, Integer.parseInt(v)));
        } catch (NumberFormatException e) {
          return 20;
        }
      }).orElse(20);
      ObjectNode page = JSON.createObjectNode().put("object", "list");
      ArrayNode data = page.putArray("data");
      items.stream().limit(limit).forEach(data::add);
      page.set("first_id", data.isEmpty() ? JSON.nullNode() : data.get(0).path("id"));
      page.set("last_id", data.isEmpty() ? JSON.nullNode() : data.get(data.size() - 1).path("id"));
      page.put("has_more", items.size() > limit);
      res.header(HeaderNames.CONTENT_TYPE, HttpResponses.JSON);
      res.send(page.toString());
    });
  }
}
