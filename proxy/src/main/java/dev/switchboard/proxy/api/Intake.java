package dev.switchboard.proxy.api;

import dev.switchboard.proxy.routing.Outcome;

import dev.switchboard.api.v1alpha1.ModelType;
import dev.switchboard.config.Durations;
import dev.switchboard.config.ClientConfig;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.proxy.clients.ClientIdentity;
import dev.switchboard.proxy.quota.ClientQuotas;
import dev.switchboard.proxy.quota.TokenReservation;
import dev.switchboard.proxy.request.ParsedRequest;
import dev.switchboard.proxy.error.ApiError;
import dev.switchboard.proxy.error.ErrorMapping;
import dev.switchboard.proxy.error.Quote;
import dev.switchboard.proxy.memory.GrowingBuffer;
import dev.switchboard.proxy.memory.MemoryBudget;
import dev.switchboard.proxy.routing.RouteState;
import dev.switchboard.proxy.routing.ServingConfig;
import dev.switchboard.proxy.server.ProxyContext;
import dev.switchboard.proxy.upstream.Watchdog;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;

/**
 * The steps every /v1 POST shares before routing: a request id, a loaded config, a body within
 * the limit, and a route of the right type. Each refusal is answered and logged here.
 */
final class Intake {
  /** A request that may be routed; closing it returns its memory to the budget. */
  record Accepted(String requestId, long startNanos, ServingConfig config, byte[] body, MemoryBudget.Lease lease,
      String clientScope) implements AutoCloseable {
    @Override
    public void close() {
      lease.close();
    }
  }

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
    MemoryBudget.Lease lease = context.memory().lease();
    // A client that sends its body a byte at a time must not hold a connection and its buffer
    // forever: past the deadline the reading thread is interrupted, which closes the socket.
    Thread reader = Thread.currentThread();
    Watchdog deadline = Watchdog.start(context.settings().bodyTimeout(), reader::interrupt);
    try {
      byte[] body = RequestBodies.read(req, context.settings().maxBodyBytes(), lease);
      return Optional.of(new Accepted(requestId, start, serving.get(), body, lease, ClientAuth.scope(req)));
    } catch (RequestBodies.Unreadable e) {
      lease.close();
      ApiError error = deadline.fired()
          ? new ApiError(408, "invalid_request_error", "request_timeout", "",
              "The request body did not arrive within " + Durations.format(context.settings().bodyTimeout()) + ".")
          : ErrorMapping.invalidRequest("", "The request body could not be read.");
      rejectAndClose(req, res, requestId, error, start);
    } catch (GrowingBuffer.TooLarge e) {
      lease.close();
      rejectAndClose(req, res, requestId, ErrorMapping.bodyTooLarge(context.settings().maxBodyBytes()), start);
    } catch (MemoryBudget.Exhausted e) {
      lease.close();
      reject(req, res, requestId, ErrorMapping.overloaded(), start); // the body was read to its end
    } finally {
      deadline.stop();
      Thread.interrupted(); // a deadline that fired after the read finished must not hit later I/O
    }
    return Optional.empty();
  }

  /** The route for {@code model}, if it exists and serves {@code type}; otherwise the client gets 404 or 400. */
  Optional<RouteState> route(ServerRequest req, ServerResponse res, Accepted accepted, String model, ModelType type) {
    ClientIdentity client = ClientAuth.identity(req);
    // A model the client may not call is answered as if it did not exist, as OpenAI does: names are not confirmed.
    Optional<RouteState> found = accepted.config().route(model).filter(r -> client.mayCall(r.config().names()));
    if (found.isEmpty()) {
      reject(req, res, accepted.requestId(), ErrorMapping.modelNotFound(model, accepted.config().modelNames(client::mayCall)),
          accepted.startNanos());
      return Optional.empty();
    }
    if (found.get().config().type() != type) {
      String message = type == ModelType.CHAT
          ? "The model '" + Quote.of(model) + "' serves embeddings; use /v1/embeddings."
          : "The model '" + Quote.of(model) + "' is a chat model; use /v1/chat/completions.";
      reject(req, res, accepted.requestId(), ErrorMapping.invalidRequest("model", message), accepted.startNanos());
      return Optional.empty();
    }
    return found;
  }

  /**
   * Admits the request against its ClientKey's limits and budget (keys without limits always
   * pass); the ticket, settled when the request is recorded, is kept in the request's context.
   * A refused client gets 429 ({@code rate_limit_exceeded} with Retry-After, or {@code
   * insufficient_quota}), or 503 when the limits' store is down and the gateway fails closed.
   */
  boolean admit(ServerRequest req, ServerResponse res, Accepted accepted, RouteState route, ParsedRequest request) {
    Optional<ClientConfig> client = ClientAuth.identity(req).config();
    if (client.isEmpty()) {
      return true;
    }
    Optional<ApiError> origin = BrowserAccess.refusal(req, client.get());
    if (origin.isPresent()) {
      context.metrics().clientRejected(client.get().id(), "origin");
      reject(req, res, accepted.requestId(), origin.get(), accepted.startNanos());
      return false;
    }
    long estimate = 0;
    if (client.get().limits().tokensPerMinute() > 0) {
      Optional<Integer> maxOutput = route.config().targets().stream().findFirst()
          .flatMap(t -> accepted.config().config().backend(t.backend()).flatMap(b -> b.model(t.model())))
          .flatMap(ModelConfig::maxOutputTokens);
      estimate = TokenReservation.of(request, maxOutput);
    }
    ClientQuotas.Admission admission = context.quotas().admit(client.get(), estimate, accepted.config().config().fleetSize(),
        accepted.requestId());
    if (admission.refusal().isPresent()) {
      context.metrics().clientRejected(client.get().id(), admission.reason());
      reject(req, res, accepted.requestId(), admission.refusal().get(), accepted.startNanos());
      return false;
    }
    req.context().register(admission.ticket().orElseThrow());
    return true;
  }

  /** Routes an admitted chat request, answers what it could not commit, and records it. */
  void routeAndRecord(ServerRequest req, ServerResponse res, Accepted a, RouteState route, ParsedRequest request, String clientScope) {
    Outcome outcome = context.router().route(route, request, a.requestId(), new HttpClientChannel(res), a.startNanos(), a.lease(),
        clientScope);
    if (!outcome.committed()) {
      outcome.error().ifPresent(e -> HttpResponses.error(res, e, route.id(), outcome.backend(), outcome.attempts()));
    }
    RequestRecorder.served(context, req, a.requestId(), a.config(), route, request.stream(), outcome, a.startNanos());
  }

  /**
   * Rejects a request whose body was not read to its end, and closes the connection after the
   * answer: the unread bytes must never be taken for the next request.
   */
  void rejectAndClose(ServerRequest req, ServerResponse res, String requestId, ApiError error, long start) {
    res.header(HeaderValues.CONNECTION_CLOSE);
    reject(req, res, requestId, error, start);
    // Connection: close alone still lets Helidon read the rest as a request; this ends the connection.
    throw new CloseConnectionException("request body not read to its end");
  }

  void reject(ServerRequest req, ServerResponse res, String requestId, ApiError error, long start) {
    res.header(HttpResponses.REQUEST_ID, requestId);
    HttpResponses.error(req, res, error, "", "", 0);
    RequestRecorder.rejected(context, req, requestId, error, start);
  }
}
