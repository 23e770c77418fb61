package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/** How much reasoning summary a Responses API backend is asked for when a request reasons. */
public enum ReasoningSummary {
  @JsonProperty("auto") AUTO("auto"),
  @JsonProperty("concise") CONCISE("concise"),
  @JsonProperty("detailed") DETAILED("detailed"),
  @JsonProperty("none") NONE("none");

  private final String wireName;

  ReasoningSummary(String wireName) {
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
