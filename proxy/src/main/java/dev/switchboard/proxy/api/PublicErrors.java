package dev.switchboard.proxy.api;

import dev.switchboard.proxy.error.ErrorMapping;
import dev.switchboard.proxy.server.ProxyContext;
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
    routing.error(Throwable.class, (req, res, error) -> {
      String requestId = res.headers().first(HttpResponses.REQUEST_ID).orElseGet(() -> RequestIds.of(req));
      LOG.log(System.Logger.Level.ERROR, "request " + requestId + " failed unexpectedly", error);
      if (!res.isSent()) {
        res.header(HttpResponses.REQUEST_ID, requestId);
        HttpResponses.error(res, ErrorMapping.internal(requestId), "", "", 0);
      }
    });
  }

  public static void fallback(HttpRouting.Builder routing) {
    routing.any((req, res) -> HttpResponses.error(res, ErrorMapping.notFound(req.path().absolute().path()), "", "", 0));
  }
}
