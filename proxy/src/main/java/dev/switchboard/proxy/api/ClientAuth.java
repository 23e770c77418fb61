package dev.switchboard.proxy.api;

import dev.switchboard.config.ClientConfig;
import dev.switchboard.config.ClientKeys;
import dev.switchboard.proxy.clients.ClientIdentity;
import dev.switchboard.proxy.error.ErrorMapping;
import dev.switchboard.proxy.routing.ServingConfig;
import dev.switchboard.proxy.server.ProxyContext;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

  /** The client the request was authenticated as; anonymous on an open gateway. */
  static ClientIdentity identity(ServerRequest req) {
    return req.context().get(ClientIdentity.class).orElse(ClientIdentity.ANONYMOUS);
  }

  /**
   * Whether /v1 needs a key: when this proxy was told so, when it has keys of its own, or when the
   * config says so (the operator's setting, or any key in it). Deleting the last ClientKey of a
   * gateway that required keys leaves {@code requireClientKey} in the pushed config, so it stays closed.
   */
  private boolean required(Optional<ServingConfig> serving) {
    return context.settings().requireClientKey() || !context.settings().localKeyHashes().isEmpty()
        || serving.map(s -> s.config().keysRequired()).orElse(false);
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    Optional<ServingConfig> serving = context.holder().current();
    String presented = presented(req);
    if (!required(serving)) {
      req.context().register(presented.isEmpty() ? ClientIdentity.ANONYMOUS : ClientIdentity.unlimited(scope(req)));
      res.next();
      return;
    }
    String message;
    if (presented.isEmpty()) {
      message = "Missing API key: send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.";
    } else {
      String hash = ClientKeys.hash(presented);
      Optional<ClientConfig> client = serving.flatMap(s -> s.client(hash));
      List<String> unlimited = new ArrayList<>(context.settings().localKeyHashes());
      serving.ifPresent(s -> unlimited.addAll(s.config().clientKeyHashes()));
      if (client.isPresent() && client.get().disabled()) {
        message = "This API key is disabled (ClientKey " + client.get().id() + "). Ask the gateway's operators to enable it.";
      } else if (client.isPresent() && client.get().expired(Instant.now())) {
        message = "This API key expired at " + client.get().expiresAt().orElseThrow() + " (ClientKey " + client.get().id() + ").";
      } else if (client.isPresent()) {
        req.context().register(ClientIdentity.of(client.get(), scope(req)));
        res.next();
        return;
      } else if (ClientKeys.matches(presented, unlimited)) {
        req.context().register(ClientIdentity.unlimited(scope(req)));
        res.next();
        return;
      } else {
        message = "Incorrect API key provided.";
      }
    }
    String requestId = RequestIds.of(req);
    res.header(HttpResponses.REQUEST_ID, requestId);
    var error = ErrorMapping.unauthorized(message);
    HttpResponses.error(req, res, error, "", "", 0);
    RequestRecorder.rejected(context, req, requestId, error, System.nanoTime());
  }
}
