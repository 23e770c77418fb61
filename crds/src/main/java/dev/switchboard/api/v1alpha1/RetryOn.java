package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/** Failures that may be retried. Other 4xx answers are the client's fault and are never retried. */
public enum RetryOn {
  @JsonProperty("429") RATE_LIMITED("429"),
  @JsonProperty("5xx") SERVER_ERROR("5xx"),
  @JsonProperty("connect-failure") CONNECT_FAILURE("connect-failure"),
  @JsonProperty("timeout") TIMEOUT("timeout");

  private final String wireName;

  RetryOn(String wireName) {
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
