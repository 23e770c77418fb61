package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/** Which Azure OpenAI API the backend calls. */
public enum AzureApi {
  @JsonProperty("chat-completions") CHAT_COMPLETIONS("chat-completions"),
  @JsonProperty("responses") RESPONSES("responses");

  private final String wireName;

  AzureApi(String wireName) {
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
