package dev.switchboard.proxy.error;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * An error as a client sees it: an HTTP status and OpenAI's error object
 * {@code {"error":{"message","type","param","code"}}}. Every field is masked and bounded here, so
 * no path that builds an error (an upstream's fields, a client's input quoted in a message) can
 * send a secret or an unbounded text to a client or the access log.
 */
public record ApiError(int status, String type, String code, String param, String message, Optional<Duration> retryAfter) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public ApiError {
    type = SecretMasker.clean(type, SecretMasker.MAX_FIELD);
    code = SecretMasker.clean(code, SecretMasker.MAX_FIELD);
    param = SecretMasker.clean(param, SecretMasker.MAX_FIELD);
    message = SecretMasker.clean(message);
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
