package dev.switchboard.proxy.upstream;

import dev.switchboard.api.v1alpha1.RetryOn;
import dev.switchboard.proxy.error.SecretMasker;
import java.time.Duration;
import java.util.Optional;

/**
 * One failed try against a backend, classified so routing can decide whether to retry. The
 * message is safe to show a client: secrets are masked, bodies are never quoted wholesale.
 */
public final class UpstreamException extends Exception {
  /** What went wrong. */
  public enum Kind {
    /** No connection could be made (refused, unknown host, TLS handshake). */
    CONNECT,
    /** The backend did not answer, or went silent, within a timeout. */
    TIMEOUT,
    /** The backend answered with an error status. */
    HTTP,
    /** The backend answered something that is not its API's format. */
    PROTOCOL,
    /** A stream ended or broke before it was complete, or carried an error event. */
    STREAM,
    /** The request cannot be expressed for this provider (a client error, never retried). */
    UNSUPPORTED,
    /** The gateway's own memory budget is full (nobody's fault; the client may retry later). */
    OVERLOADED
  }

  private static final String TLS_HANDSHAKE_FAILED = "tls_handshake_failed";

  private final Kind kind;
  private final int status;
  private final String errorType;
  private final String errorCode;
  private final String param;
  private final Duration retryAfter;

  public UpstreamException(Kind kind, int status, String message, String errorType, String errorCode, String param, Duration retryAfter) {
    // Cleaned here as well as in ApiError: the message also goes to status, probes and logs.
    super(SecretMasker.clean(message), null, false, false);
    this.kind = kind;
    this.status = status;
    this.errorType = SecretMasker.clean(errorType, SecretMasker.MAX_FIELD);
    this.errorCode = SecretMasker.clean(errorCode, SecretMasker.MAX_FIELD);
    this.param = SecretMasker.clean(param, SecretMasker.MAX_FIELD);
    this.retryAfter = retryAfter;
  }

  public static UpstreamException connect(String message) {
    return new UpstreamException(Kind.CONNECT, 0, message, "", "", "", null);
  }

  /** A refused TLS handshake: a connect failure (retried, fails over) that status reports as TLSHandshakeFailed. */
  public static UpstreamException tls(String message) {
    return new UpstreamException(Kind.CONNECT, 0, message, "", TLS_HANDSHAKE_FAILED, "", null);
  }

  public boolean tlsHandshakeFailed() {
    return kind == Kind.CONNECT && TLS_HANDSHAKE_FAILED.equals(errorCode);
  }

  public static UpstreamException timeout(String message) {
    return new UpstreamException(Kind.TIMEOUT, 0, message, "", "", "", null);
  }

  public static UpstreamException protocol(String message) {
    return new UpstreamException(Kind.PROTOCOL, 0, message, "", "", "", null);
  }

  public static UpstreamException stream(String message) {
    return new UpstreamException(Kind.STREAM, 0, message, "", "", "", null);
  }

  public static UpstreamException overloaded(String message) {
    return new UpstreamException(Kind.OVERLOADED, 0, message, "", "", "", Duration.ofSeconds(1));
  }

  public static UpstreamException unsupported(String param, String message) {
    return new UpstreamException(Kind.UNSUPPORTED, 400, message, "invalid_request_error", "unsupported_parameter", param, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The backend's HTTP status; 0 when it gave none. */
  public int status() {
    return status;
  }

  public String errorType() {
    return errorType;
  }

  public String errorCode() {
    return errorCode;
  }

  public String param() {
    return param;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** The retry class of this failure, or empty when it must not be retried (other 4xx). */
  public Optional<RetryOn> retryClass() {
    return switch (kind) {
      case CONNECT -> Optional.of(RetryOn.CONNECT_FAILURE);
      case TIMEOUT -> Optional.of(RetryOn.TIMEOUT);
      case PROTOCOL, STREAM -> Optional.of(RetryOn.SERVER_ERROR);
      case UNSUPPORTED, OVERLOADED -> Optional.empty();
      case HTTP -> {
        if (status == 429) {
          yield Optional.of(RetryOn.RATE_LIMITED);
        }
        // 529 is Anthropic's "overloaded"; 408 a timeout the server gave up on.
        if (status >= 500 || status == 408) {
          yield Optional.of(RetryOn.SERVER_ERROR);
        }
        yield Optional.empty();
      }
    };
  }

  /** Whether the backend itself misbehaved (counts against its circuit breaker). */
  public boolean blamesBackend() {
    return retryClass().isPresent() && !(kind == Kind.HTTP && status == 429);
  }
}
