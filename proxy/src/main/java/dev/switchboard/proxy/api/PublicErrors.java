package dev.switchboard.proxy.api;

import dev.switchboard.proxy.error.ErrorMapping;
import dev.switchboard.proxy.server.ProxyContext;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRouting;

/**
 * The parts of routing that turn anything unexpected into an OpenAI error object: client
 * authentication in front of /v1, a 404 for unknown paths, and a 500 that names the request id
 * (the stack trace goes to the log, never to the client).
 */
public final class PublicErrors {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.proxy");

  private PublicErrors() {}

  public static void install(HttpRouting.Builder routing, ProxyContext context) {
    routing.any("/v1/*", new ClientAuth(context));
    install(routing);
  }

  /** The last resort of either port: a 500 naming the request id, or nothing when the client is gone. */
  public static void install(HttpRouting.Builder routing) {
    routing.error(Throwable.class, (req, res, error) -> {
      String requestId = res.headers().first(HttpResponses.REQUEST_ID).orElseGet(() -> RequestIds.of(req));
      if (clientGone(error)) {
        // A client that hung up mid-request is connection noise, not a failure of the gateway.
        LOG.log(System.Logger.Level.DEBUG, "request " + requestId + ": the client closed the connection");
        res.header(HeaderValues.CONNECTION_CLOSE);
      } else {
        LOG.log(System.Logger.Level.ERROR, "request " + requestId + " failed unexpectedly", error);
      }
      if (!res.isSent()) {
        res.header(HttpResponses.REQUEST_ID, requestId);
        HttpResponses.error(req, res, ErrorMapping.internal(requestId), "", "", 0);
      }
    });
  }

  static boolean clientGone(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException
          || t.getClass().getName().startsWith("io.helidon.common.buffers.DataReader")
          || t.getClass().getName().equals("io.helidon.webserver.CloseConnectionException")) {
        return true;
      }
    }
    return false;
  }

  public static void fallback(HttpRouting.Builder routing) {
    routing.any((req, res) -> HttpResponses.error(req, res, ErrorMapping.notFound(req.path().absolute().path()), "", "", 0));
  }
}
