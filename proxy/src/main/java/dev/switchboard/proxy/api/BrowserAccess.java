package dev.switchboard.proxy.api;

import dev.switchboard.config.ClientConfig;
import dev.switchboard.proxy.error.ApiError;
import dev.switchboard.proxy.error.Quote;
import io.helidon.cors.CrossOriginConfig;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.cors.CorsSupport;
import io.helidon.webserver.http.ServerRequest;
import java.util.List;
import java.util.Optional;

/**
 * CORS for browser apps on the public API, with Helidon's CORS support: preflights answered, and
 * the {@code Access-Control-*} headers on every answer from an allowed origin (streams and errors
 * included, so a browser shows the gateway's error rather than a CORS failure). The origins are
 * an explicit setting ({@code --cors-origin}); none by default, so no browser page may call.
 * A ClientKey's {@code allowedOrigins} narrows them for that key, checked on the real request
 * (a preflight carries no key).
 */
public final class BrowserAccess {
  /**
   * Request headers a preflight may ask for: {@code *} echoes what the browser asks, which covers
   * what the official SDKs send from a browser (authorization, content-type, x-api-key, api-key,
   * anthropic-*, openai-*, x-stainless-*) however their lists grow; the origins are what is restricted.
   */
  static final String[] ALLOWED_HEADERS = {"*"};
  /** Response headers a page may read. */
  static final String[] EXPOSED_HEADERS = {"retry-after", "x-request-id", "x-switchboard-route", "x-switchboard-backend",
      "x-switchboard-attempts", "x-switchboard-degraded", "x-switchboard-unverified", "x-should-retry"};

  private BrowserAccess() {}

  /** The CORS handler for {@code origins}, or empty when none is allowed. */
  public static Optional<CorsSupport> support(List<String> origins) {
    if (origins.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(CorsSupport.builder().name("public-api").addCrossOrigin(CrossOriginConfig.builder()
        .allowOrigins(origins.toArray(String[]::new))
        .allowMethods("GET", "POST", "OPTIONS")
        .allowHeaders(ALLOWED_HEADERS)
        .exposeHeaders(EXPOSED_HEADERS)
        .allowCredentials(false)
        .maxAgeSeconds(600)
        .build()).build());
  }

  /** A 403 when the request comes from a browser origin its ClientKey does not allow; empty otherwise. */
  static Optional<ApiError> refusal(ServerRequest req, ClientConfig client) {
    if (client.allowedOrigins().isEmpty()) {
      return Optional.empty();
    }
    Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
    if (origin.isEmpty() || client.allowedOrigins().contains(origin.get()) || client.allowedOrigins().contains("*")) {
      return Optional.empty(); // not from a browser page, or from one the key allows
    }
    return Optional.of(new ApiError(403, "permission_error", "origin_not_allowed", "",
        "This API key may not be used from the origin " + Quote.of(origin.get()) + " (its ClientKey " + client.id()
            + " allows " + String.join(", ", client.allowedOrigins()) + ")."));
  }
}
