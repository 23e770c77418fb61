package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/** Which OpenAI API a backend calls: Chat Completions or Responses (openai, openai-compatible and azure-openai serve both). */
public enum BackendApi {
  @JsonProperty("chat-completions") CHAT_COMPLETIONS("chat-completions"),
  @JsonProperty("responses") RESPONSES("responses");

  private final String wireName;

  BackendApi(String wireName) {
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
