package dev.switchboard.proxy.error;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * An error as a client sees it: an HTTP status and OpenAI's error object
 * {@code {"error":{"message","type","param","code"}}}.
 */
public record ApiError(int status, String type, String code, String param, String message, Optional<Duration> retryAfter) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public ApiError {
    type = type == null ? "" : type;
    code = code == null ? "" : code;
    param = param == null ? "" : param;
  }

  public ApiError(int status, String type, String code, String param, String message) {
    this(status, type, code, param, message, Optional.empty());
  }

  /** The JSON error object; {@code param} and {@code code} are null when empty, as OpenAI sends them. */
  public ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    if (param.isEmpty()) {
      error.putNull("param");
    } else {
      error.put("param", param);
    }
    if (code.isEmpty()) {
      error.putNull("code");
    } else {
      error.put("code", code);
    }
    return root;
  }

  public byte[] body() {
    return toJson().toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The same error as the last event of a broken stream: {@code data: {"error":...}}. */
  public byte[] sseEvent() {
    return ("data: " + toJson() + "\n\n").getBytes(StandardCharsets.UTF_8);
  }
}
