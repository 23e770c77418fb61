package dev.switchboard.proxy.api;

import dev.switchboard.proxy.dialect.anthropic.MessagesErrors;
import dev.switchboard.proxy.error.ApiError;
import dev.switchboard.proxy.routing.ClientChannel;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** Header names and the one way errors are written. */
public final class HttpResponses {
  public static final HeaderName ROUTE = HeaderNames.create("x-switchboard-route");
  public static final HeaderName BACKEND = HeaderNames.create("x-switchboard-backend");
  public static final HeaderName ATTEMPTS = HeaderNames.create("x-switchboard-attempts");
  public static final HeaderName DEGRADED = HeaderNames.create("x-switchboard-degraded");
  /** The capabilities a request needed that the answering target's model failed in its last check. */
  public static final HeaderName UNVERIFIED = HeaderNames.create("x-switchboard-unverified");
  public static final HeaderName REQUEST_ID = HeaderNames.create("x-request-id");
  /** Read by the official SDKs: {@code false} keeps their automatic retries off an answer that retrying cannot change. */
  static final HeaderName SHOULD_RETRY = HeaderNames.create("x-should-retry");
  public static final String JSON = "application/json";

  private HttpResponses() {}

  /** Writes an error as OpenAI does, with the routing headers known so far. */
  public static void error(ServerResponse res, ApiError error, String route, String backend, int attempts) {
    error(Surface.OPENAI, res, error, route, backend, attempts);
  }

  /** Writes an error in the words of the surface the request came through. */
  static void error(ServerRequest req, ServerResponse res, ApiError error, String route, String backend, int attempts) {
    error(Surface.of(req), res, error, route, backend, attempts);
  }

  static void error(Surface surface, ServerResponse res, ApiError error, String route, String backend, int attempts) {
    if (res.isSent()) {
      return;
    }
    boolean anthropic = surface == Surface.ANTHROPIC;
    res.status(anthropic ? MessagesErrors.status(error) : error.status());
    res.header(HeaderNames.CONTENT_TYPE, JSON);
    routing(res, route, backend, attempts);
    error.retryAfter().ifPresent(d -> res.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, (d.toMillis() + 999) / 1000))));
    if (error.code().equals("insufficient_quota")) {
      // Retrying cannot help until the budget renews; the OpenAI and Anthropic SDKs heed this header.
      res.header(SHOULD_RETRY, "false");
    }
    if (error.status() == 401 && !anthropic) {
      res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
    }
    res.send(anthropic ? MessagesErrors.body(error) : error.body());
  }

  /** The routing headers of an answer, and what the gateway changed so the backend would answer. */
  public static void routing(ServerResponse res, ClientChannel.Served served) {
    routing(res, served.route(), served.backend(), served.attempts());
    if (!served.degraded().isEmpty()) {
      res.header(DEGRADED, String.join(", ", served.degraded()));
    }
    if (!served.unverified().isEmpty()) {
      res.header(UNVERIFIED, String.join(", ", served.unverified()));
    }
  }

  /** The routing headers; none when the request never reached a route. */
  public static void routing(ServerResponse res, String route, String backend, int attempts) {
    if (route.isEmpty()) {
      return;
    }
    res.header(ROUTE, route);
    if (!backend.isEmpty()) {
      res.header(BACKEND, backend);
    }
    res.header(ATTEMPTS, Integer.toString(attempts));
  }
}
