package dev.switchboard.proxy.api;

import dev.switchboard.api.v1alpha1.ModelType;
import dev.switchboard.proxy.error.ErrorMapping;
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

/** {@code POST /v1/chat/completions}, streamed or not. */
public final class ChatCompletionsService implements HttpService {
  private final ProxyContext context;
  private final Intake intake;

  public ChatCompletionsService(ProxyContext context) {
    this.context = context;
    this.intake = new Intake(context);
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/chat/completions", this::chat)
        .any("/chat/completions", (req, res) -> intake.reject(req, res, RequestIds.of(req),
            ErrorMapping.methodNotAllowed(req.prologue().method().text(), "/v1/chat/completions"), System.nanoTime()));
  }

  private void chat(ServerRequest req, ServerResponse res) {
    Optional<Intake.Accepted> accepted = intake.accept(req, res);
    if (accepted.isEmpty()) {
      return;
    }
    try (Intake.Accepted a = accepted.get()) {
      serve(req, res, a);
    }
  }

  private void serve(ServerRequest req, ServerResponse res, Intake.Accepted a) {
    ChatRequest request;
    try {
      request = ChatRequestParser.parse(a.body());
    } catch (InvalidRequestException e) {
      intake.reject(req, res, a.requestId(), ErrorMapping.invalidRequest(e), a.startNanos());
      return;
    }
    Optional<RouteState> route = intake.route(req, res, a, request.model(), ModelType.CHAT);
    if (route.isEmpty() || !intake.admit(req, res, a, route.get(), request)) {
      return;
    }
    intake.routeAndRecord(req, res, a, route.get(), request, a.clientScope());
  }
}
