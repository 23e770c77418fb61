package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a model is used for: chat completions or embeddings. */
public enum ModelType {
  @JsonProperty("chat") CHAT("chat"),
  @JsonProperty("embedding") EMBEDDING("embedding");

  private final String wireName;

  ModelType(String wireName) {
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
