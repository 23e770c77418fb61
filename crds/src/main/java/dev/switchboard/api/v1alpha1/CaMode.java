package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a backend's CA bundle adds to the JVM's default trust or stands alone. */
public enum CaMode {
  @JsonProperty("append") APPEND("append"),
  @JsonProperty("replace") REPLACE("replace");

  private final String wireName;

  CaMode(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
