package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * A capability a probe can prove with one small real request, in the words ModelRoute {@code
 * capabilities} use. A request that needs one prefers targets whose model did not fail its check.
 */
public enum Capability {
  /** A forced tool call comes back as a well-formed tool call, streamed. */
  @JsonProperty("tools") TOOLS("tools"),
  /** A stream asked for {@code include_usage} ends with usage. */
  @JsonProperty("stream-usage") STREAM_USAGE("stream-usage"),
  /** A {@code json_schema} answer parses and matches the schema. */
  @JsonProperty("json-mode") JSON_MODE("json-mode"),
  /** A request with an image input is accepted. */
  @JsonProperty("vision") VISION("vision");

  private final String wireName;

  Capability(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public static Optional<Capability> of(String word) {
    return Arrays.stream(values()).filter(c -> c.wireName.equals(word)).findFirst();
  }

  @Override
  public String toString() {
    return wireName;
  }
}
