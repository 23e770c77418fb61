package dev.switchboard.proxy.error;

import dev.switchboard.proxy.request.InvalidRequestException;
import dev.switchboard.proxy.upstream.UpstreamException;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * Every error the proxy answers, mapped in one place to an HTTP status and an OpenAI error
 * object: 400 bad request, 401 auth, 404 unknown model, 413 body too large, 429 rate limited,
 * 502 upstream error, 503 no healthy target, 504 upstream timeout.
 */
public final class ErrorMapping {
  private ErrorMapping() {}

  public static ApiError invalidRequest(InvalidRequestException e) {
    return new ApiError(400, "invalid_request_error", "", e.param(), e.getMessage());
  }

  public static ApiError invalidRequest(String param, String message) {
    return new ApiError(400, "invalid_request_error", "", param, message);
  }

  public static ApiError unauthorized(String message) {
    return new ApiError(401, "invalid_request_error", "invalid_api_key", "", message);
  }

  public static ApiError modelNotFound(String model, Collection<String> available) {
    String list = available.isEmpty() ? "none are configured" : "available models: " + String.join(", ", available);
    return new ApiError(404, "invalid_request_error", "model_not_found", "model",
        "The model '" + Quote.of(model) + "' does not exist or you do not have access to it; " + list + ".");
  }

  public static ApiError notFound(String path) {
    return new ApiError(404, "invalid_request_error", "not_found", "", "Unknown path " + Quote.of(path) + ".");
  }

  public static ApiError methodNotAllowed(String method, String path) {
    return new ApiError(405, "invalid_request_error", "method_not_allowed", "", "Method " + Quote.of(method) + " is not allowed on " + Quote.of(path) + ".");
  }

  public static ApiError bodyTooLarge(long limit) {
    return new ApiError(413, "invalid_request_error", "request_too_large", "",
        "The request body is larger than the limit of " + limit + " bytes.");
  }

  public static ApiError gatewayLimited(String message, Duration retryAfter) {
    return new ApiError(429, "rate_limit_error", "rate_limit_exceeded", "", message, Optional.of(retryAfter));
  }

  public static ApiError noHealthyTarget(String route, String why) {
    return new ApiError(503, "service_unavailable", "no_healthy_target", "",
        "No healthy target for model route " + route + ": " + why + ".");
  }

  /** The process's in-flight memory budget is full: nothing is wrong with the request, so it may come back. */
  public static ApiError overloaded() {
    return new ApiError(503, "service_unavailable", "overloaded",
        "", "The gateway is holding as much request and answer data as its memory allows; retry shortly.",
        Optional.of(Duration.ofSeconds(1)));
  }

  public static ApiError notReady() {
    return new ApiError(503, "service_unavailable", "not_ready", "", "The gateway has no routing config yet.");
  }

  public static ApiError internal(String requestId) {
    return new ApiError(500, "server_error", "internal_error", "",
        "The gateway failed unexpectedly; the request id " + requestId + " is in its log.");
  }

  /**
   * A backend's failure as the client sees it. Client errors the backend found (400, 404 for a
   * parameter, 413, 422) keep their status; the backend's own trouble (auth, overload, outage)
   * is the gateway's: 502, or 504 for timeouts, or 429 when retries could not get past a limit.
   */
  public static ApiError upstream(UpstreamException e) {
    String message = e.getMessage();
    return switch (e.kind()) {
      case TIMEOUT -> new ApiError(504, "upstream_error", "upstream_timeout", "", message);
      case CONNECT -> new ApiError(502, "upstream_error", "upstream_unreachable", "", message);
      case PROTOCOL, STREAM -> new ApiError(502, "upstream_error", e.errorCode().isEmpty() ? "upstream_error" : e.errorCode(), "", message);
      case OVERLOADED -> overloaded();
      case UNSUPPORTED -> new ApiError(400, "invalid_request_error", "unsupported_parameter", e.param(), message);
      case HTTP -> switch (e.status()) {
        case 400, 404, 409, 413, 422 -> new ApiError(e.status() == 422 ? 400 : e.status(),
            e.errorType().isEmpty() ? "invalid_request_error" : e.errorType(), e.errorCode(), e.param(), message);
        case 429 -> new ApiError(429, "rate_limit_error", e.errorCode().isEmpty() ? "rate_limit_exceeded" : e.errorCode(), "",
            message, e.retryAfter());
        case 401, 403 -> new ApiError(502, "upstream_error", "upstream_auth_failed", "",
            "The backend refused the gateway's credentials: " + message);
        case 408, 504 -> new ApiError(504, "upstream_error", "upstream_timeout", "", message);
        default -> new ApiError(502, "upstream_error", e.errorCode().isEmpty() ? "upstream_error" : e.errorCode(), "", message);
      };
    };
  }
}
