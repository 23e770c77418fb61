package dev.switchboard.proxy.dialect.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.error.ApiError;
import java.nio.charset.StandardCharsets;

/**
 * The gateway's errors in Anthropic's words: {@code {"type":"error","error":{"type","message"}}}
 * with the status and type Anthropic uses for the same condition (529 {@code overloaded_error}
 * where the OpenAI surfaces answer 503). Masking and bounding already happened in {@link ApiError}.
 */
public final class MessagesErrors {
  private MessagesErrors() {}

  public static int status(ApiError error) {
    if ("insufficient_quota".equals(error.code())) {
      return 400; // Anthropic answers spent credit with a 400, not OpenAI's 429
    }
    return error.status() == 503 ? 529 : error.status();
  }

  /** Anthropic's error types, which an Anthropic backend's error keeps in {@code code} on its way through. */
  private static final java.util.Set<String> TYPES = java.util.Set.of("invalid_request_error", "authentication_error",
      "permission_error", "not_found_error", "request_too_large", "rate_limit_error", "api_error", "overloaded_error", "timeout_error");

  public static String type(ApiError error) {
    if ("insufficient_quota".equals(error.code())) {
      return "invalid_request_error";
    }
    if (TYPES.contains(error.code()) && error.status() >= 500) {
      return error.code(); // an Anthropic backend's own overloaded_error in a stream stays one
    }
    return switch (error.status()) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 408, 504 -> "timeout_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      case 500, 502 -> "api_error";
      default -> error.status() >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  public static ObjectNode json(ApiError error) {
    ObjectNode root = MessagesRequestDecoder.JSON.createObjectNode().put("type", "error");
    root.putObject("error").put("type", type(error)).put("message", error.message());
    return root;
  }

  public static byte[] body(ApiError error) {
    return json(error).toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The last event of a broken stream. */
  public static byte[] sseEvent(ApiError error) {
    return MessagesStreamEncoder.event("error", json(error)).getBytes(StandardCharsets.UTF_8);
  }
}
