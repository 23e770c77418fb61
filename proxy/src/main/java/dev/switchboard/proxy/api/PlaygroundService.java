package dev.switchboard.proxy.api;

import dev.switchboard.api.v1alpha1.ModelType;
import dev.switchboard.proxy.admin.AdminService;
import dev.switchboard.proxy.clients.ClientIdentity;
import dev.switchboard.proxy.error.ErrorMapping;
import dev.switchboard.proxy.error.Quote;
import dev.switchboard.proxy.request.ChatRequest;
import dev.switchboard.proxy.request.ChatRequestParser;
import dev.switchboard.proxy.request.InvalidRequestException;
import dev.switchboard.proxy.routing.RouteState;
import dev.switchboard.proxy.server.ProxyContext;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;

/**
 * {@code POST /admin/playground/chat} on the admin port: the console's playground. A Chat
 * Completions request (streamed or not) to a route by its model name, or, with {@code
 * ?backend=namespace/name&model=m}, straight to a backend model (one attempt), which the public API
 * never allows. Needs the admin token (in local mode without one, the admin port is on loopback).
 * Counted in metrics and the access log as client {@code console}, against no client's limits or budget.
 */
public final class PlaygroundService implements HttpService {
  private final ProxyContext context;
  private final Intake intake;

  public PlaygroundService(ProxyContext context) {
    this.context = context;
    this.intake = new Intake(context);
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/admin/playground/chat", this::chat);
  }

  private void chat(ServerRequest req, ServerResponse res) {
    if (!AdminService.authorized(context, req, res, true)) {
      return;
    }
    req.context().register(ClientIdentity.CONSOLE);
    Optional<Intake.Accepted> accepted = intake.accept(req, res);
    if (accepted.isEmpty()) {
      return;
    }
    try (Intake.Accepted a = accepted.get()) {
      ChatRequest request;
      try {
        request = ChatRequestParser.parse(a.body());
      } catch (InvalidRequestException e) {
        intake.reject(req, res, a.requestId(), ErrorMapping.invalidRequest(e), a.startNanos());
        return;
      }
      Optional<String> backend = req.query().first("backend").asOptional();
      Optional<RouteState> route;
      if (backend.isPresent()) {
        String model = req.query().first("model").orElse("");
        route = a.config().direct(backend.get(), model);
        if (route.isEmpty()) {
          intake.reject(req, res, a.requestId(), new dev.switchboard.proxy.error.ApiError(404, "invalid_request_error", "model_not_found",
              "model", "Backend " + Quote.of(backend.get()) + " has no model " + Quote.of(model) + " in the current config."), a.startNanos());
          return;
        }
      } else {
        route = intake.route(req, res, a, request.model(), ModelType.CHAT);
        if (route.isEmpty()) {
          return;
        }
      }
      intake.routeAndRecord(req, res, a, route.get(), request, "console");
    }
  }
}
