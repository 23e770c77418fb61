package dev.switchboard.proxy.api;

import dev.switchboard.config.ClientKeys;
import dev.switchboard.proxy.error.ErrorMapping;
import dev.switchboard.proxy.routing.ServingConfig;
import dev.switchboard.proxy.server.ProxyContext;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Requires a client API key on every /v1 call when keys are configured (hashes from the routing
 * config, plus keys given to this process). Accepts {@code Authorization: Bearer KEY}, as the
 * OpenAI SDKs send it, {@code api-key: KEY}, as Azure SDKs do, or {@code x-api-key: KEY}, as
 * Anthropic's SDK and Claude Code do. Compared as hashes, in constant
 * time.
 */
final class ClientAuth implements Handler {
  private static final io.helidon.http.HeaderName API_KEY = HeaderNames.create("api-key");
  private static final io.helidon.http.HeaderName X_API_KEY = HeaderNames.create("x-api-key");

  private final ProxyContext context;

  ClientAuth(ProxyContext context) {
    this.context = context;
  }

  /** The key the client presented, or "". */
  static String presented(ServerRequest req) {
    return req.headers().first(HeaderNames.AUTHORIZATION)
        .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(v -> v.substring(7).trim())
        .or(() -> req.headers().first(API_KEY).map(String::trim))
        .or(() -> req.headers().first(X_API_KEY).map(String::trim))
        .orElse("");
  }

  /**
   * The client's scope for per-client state (remembered continuity): a hash of its key, "" for
   * every client of a gateway without keys.
   */
  static String scope(ServerRequest req) {
    String key = presented(req);
    return key.isEmpty() ? "" : dev.switchboard.proxy.exchange.Continuity.tag("client:" + key);
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    List<String> hashes = new ArrayList<>(context.settings().localKeyHashes());
    context.holder().current().map(ServingConfig::config).ifPresent(c -> hashes.addAll(c.clientKeyHashes()));
    if (hashes.isEmpty()) {
      res.next();
      return;
    }
    String presented = presented(req);
    if (!presented.isEmpty() && ClientKeys.matches(presented, hashes)) {
      res.next();
      return;
    }
    String requestId = RequestIds.of(req);
    res.header(HttpResponses.REQUEST_ID, requestId);
    var error = ErrorMapping.unauthorized(presented.isEmpty()
        ? "Missing API key: send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'."
        : "Incorrect API key provided.");
    HttpResponses.error(req, res, error, "", "", 0);
    RequestRecorder.rejected(context, req, requestId, error, System.nanoTime());
  }
}
