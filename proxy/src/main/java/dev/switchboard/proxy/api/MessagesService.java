package dev.switchboard.proxy.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.v1alpha1.ModelType;
import dev.switchboard.api.v1alpha1.Provider;
import dev.switchboard.proxy.dialect.anthropic.MessagesRequest;
import dev.switchboard.proxy.dialect.anthropic.MessagesRequestDecoder;
import dev.switchboard.proxy.error.ErrorMapping;
import dev.switchboard.proxy.exchange.TokenEstimate;
import dev.switchboard.proxy.request.InvalidRequestException;
import dev.switchboard.proxy.routing.Outcome;
import dev.switchboard.proxy.routing.RouteState;
import dev.switchboard.proxy.routing.TargetState;
import dev.switchboard.proxy.server.ProxyContext;
import dev.switchboard.proxy.upstream.AnthropicAdapter;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The Anthropic Messages surface: {@code POST /v1/messages}, streamed or not, and
 * {@code POST /v1/messages/count_tokens}. Requests are decoded by the Anthropic codec and routed
 * like every other chat request; answers go back in Anthropic's shape, and errors in its words.
 */
public final class MessagesService implements HttpService {
  static final HeaderName BETA = HeaderNames.create("anthropic-beta");
  static final HeaderName TOKEN_COUNT = HeaderNames.create("x-switchboard-token-count");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProxyContext context;
  private final Intake intake;

  public MessagesService(ProxyContext context) {
    this.context = context;
    this.intake = new Intake(context);
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/messages", this::messages)
        .post("/messages/count_tokens", this::countTokens)
        .any("/messages", (req, res) -> notAllowed(req, res, "/v1/messages"))
        .any("/messages/count_tokens", (req, res) -> notAllowed(req, res, "/v1/messages/count_tokens"));
  }

  private void notAllowed(ServerRequest req, ServerResponse res, String path) {
    intake.reject(req, res, RequestIds.of(req), ErrorMapping.methodNotAllowed(req.prologue().method().text(), path), System.nanoTime());
  }

  private void messages(ServerRequest req, ServerResponse res) {
    Optional<Intake.Accepted> accepted = intake.accept(req, res);
    if (accepted.isEmpty()) {
      return;
    }
    try (Intake.Accepted a = accepted.get()) {
      Optional<MessagesRequest> request = decode(req, res, a, a.body());
      if (request.isEmpty()) {
        return;
      }
      Optional<RouteState> route = intake.route(req, res, a, request.get().model(), ModelType.CHAT);
      if (route.isEmpty() || !intake.admit(req, res, a, route.get(), request.get())) {
        return;
      }
      Outcome outcome = context.router().route(route.get(), request.get(), a.requestId(), new MessagesClientChannel(res, request.get(), context.settings().streamPing()),
          a.startNanos(), a.lease(), a.clientScope());
      if (!outcome.committed()) {
        outcome.error().ifPresent(e -> HttpResponses.error(Surface.ANTHROPIC, res, e, route.get().id(), outcome.backend(),
            outcome.attempts()));
      }
      RequestRecorder.served(context, req, a.requestId(), a.config(), route.get(), request.get().stream(), outcome, a.startNanos());
    }
  }

  /**
   * Exact from the first Anthropic target, an estimate otherwise (and when that backend cannot
   * answer): a client sizing its context needs a number, never an error.
   */
  private void countTokens(ServerRequest req, ServerResponse res) {
    Optional<Intake.Accepted> accepted = intake.accept(req, res);
    if (accepted.isEmpty()) {
      return;
    }
    try (Intake.Accepted a = accepted.get()) {
      Optional<MessagesRequest> request = decode(req, res, a, withMaxTokens(a.body()));
      if (request.isEmpty()) {
        return;
      }
      Optional<RouteState> route = intake.route(req, res, a, request.get().model(), ModelType.CHAT);
      if (route.isEmpty()) {
        return;
      }
      OptionalLong exact = OptionalLong.empty();
      String backend = "";
      List<TargetState> targets = route.get().targets();
      if (!targets.isEmpty()) {
        TargetState first = targets.get(0);
        backend = first.backend().id();
        if (first.backend().config().provider() == Provider.ANTHROPIC && first.backend().adapter() instanceof AnthropicAdapter anthropic) {
          // Anthropic's count_tokens refuses max_tokens: the one added for the rules is left out again.
          MessagesRequest original = request.get().withoutOriginalField("max_tokens", !hasMaxTokens(a.body()));
          exact = anthropic.countTokens(first.backend().config(), original, first.config().upstreamModel(),
              first.backend().config().timeouts().request());
        }
      }
      long tokens = exact.isPresent() ? exact.getAsLong() : TokenEstimate.of(request.get().canonical().tree());
      HttpResponses.routing(res, route.get().id(), backend, exact.isPresent() ? 1 : 0);
      res.header(TOKEN_COUNT, exact.isPresent() ? "exact" : "estimate");
      res.header(HeaderNames.CONTENT_TYPE, HttpResponses.JSON);
      res.send(JSON.createObjectNode().put("input_tokens", tokens).toString());
    }
  }

  private Optional<MessagesRequest> decode(ServerRequest req, ServerResponse res, Intake.Accepted a, byte[] body) {
    try {
      MessagesRequest decoded = MessagesRequestDecoder.decode(body);
      String betas = String.join(",", req.headers().all(BETA, List::of));
      String version = req.headers().first(Surface.ANTHROPIC_VERSION).orElse("");
      boolean betaQuery = req.query().first("beta").map("true"::equals).orElse(false);
      return Optional.of(decoded.withHeaders(betas, version, betaQuery));
    } catch (InvalidRequestException e) {
      intake.reject(req, res, a.requestId(), ErrorMapping.invalidRequest(e), a.startNanos());
      return Optional.empty();
    }
  }

  private static boolean hasMaxTokens(byte[] body) {
    try {
      return JSON.readTree(body).has("max_tokens");
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** count_tokens takes no {@code max_tokens}; the decoder's rules need one, so a count gets a large one. */
  private static byte[] withMaxTokens(byte[] body) {
    try {
      if (JSON.readTree(body) instanceof ObjectNode tree && !tree.has("max_tokens")) {
        tree.put("max_tokens", Integer.MAX_VALUE);
        return tree.toString().getBytes(StandardCharsets.UTF_8);
      }
    } catch (java.io.IOException e) {
      // the decoder answers bodies that are not JSON
    }
    return body;
  }
}
