package dev.switchboard.proxy.upstream;

import dev.switchboard.proxy.error.SecretMasker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.BackendConfig;
import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Reads a backend's error answer in any provider's format into an {@link UpstreamException}:
 * OpenAI and Azure {@code {"error":{"message","type","code","param"}}}, Anthropic
 * {@code {"type":"error","error":{"type","message"}}}, Gemini {@code {"error":{"code","status","message"}}},
 * Ollama {@code {"error":"..."}}, FastAPI-style {@code {"detail":...}}, and anything else (an HTML
 * page from a load balancer) as a short description, never quoted.
 */
public final class UpstreamErrors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private UpstreamErrors() {}

  public static UpstreamException fromResponse(BackendConfig backend, int status, byte[] body, String contentType,
      String retryAfterHeader, String retryAfterMsHeader) {
    String message = null;
    String type = null;
    String code = null;
    String param = null;
    JsonNode json = parse(body);
    if (json != null) {
      JsonNode error = json.get("error");
      if (error != null && error.isObject()) {
        message = text(error, "message");
        type = text(error, "type");
        if (type == null) {
          type = text(error, "status"); // Gemini: "RESOURCE_EXHAUSTED", "INVALID_ARGUMENT"
        }
        code = error.hasNonNull("code") ? error.get("code").asText() : null;
        param = text(error, "param");
      } else if (error != null && error.isTextual()) {
        message = error.asText();
      } else if (json.hasNonNull("detail")) {
        JsonNode detail = json.get("detail");
        message = detail.isTextual() ? detail.asText() : detail.toString();
      } else if (json.hasNonNull("message")) {
        message = text(json, "message");
      }
    }
    if (message == null || message.isBlank()) {
      message = "answered HTTP " + status + (json == null ? describeBody(body, contentType) : " with an error it did not explain");
    }
    // Masked before it is cut, so a cut never leaves the first characters of a key.
    message = SecretMasker.clean(SecretMasker.mask(message, backend.apiKey()), 1000);
    String described = message + " (backend " + backend.id() + ", HTTP " + status + ")";
    return new UpstreamException(UpstreamException.Kind.HTTP, status, described, field(type, backend), field(code, backend),
        field(param, backend),
        retryAfter(retryAfterHeader, retryAfterMsHeader));
  }

  /** Retry-After as seconds or an HTTP date, or OpenAI's retry-after-ms; null when absent or unreadable. */
  static Duration retryAfter(String header, String msHeader) {
    try {
      if (msHeader != null && !msHeader.isBlank()) {
        return Duration.ofMillis((long) Double.parseDouble(msHeader.trim()));
      }
      if (header == null || header.isBlank()) {
        return null;
      }
      String value = header.trim();
      if (value.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
        return Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
      }
      ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.US));
      Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static JsonNode parse(byte[] body) {
    if (body.length == 0 || body[firstNonSpace(body)] != '{') {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private static int firstNonSpace(byte[] body) {
    for (int i = 0; i < body.length; i++) {
      if (!Character.isWhitespace(body[i])) {
        return i;
      }
    }
    return 0;
  }

  private static String describeBody(byte[] body, String contentType) {
    if (body.length == 0) {
      return " with an empty body";
    }
    String type = contentType == null || contentType.isBlank() ? "unknown content type" : contentType.split(";")[0].trim();
    return " with a " + type + " body of " + body.length + " bytes instead of a JSON error";
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** An error field the backend chose (type, code, param): masked like the message, and short. */
  static String field(String value, BackendConfig backend) {
    return value == null ? "" : SecretMasker.clean(SecretMasker.mask(value, backend.apiKey()), SecretMasker.MAX_FIELD);
  }
}
