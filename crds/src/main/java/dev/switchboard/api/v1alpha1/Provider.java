package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** The wire protocol a backend speaks. */
public enum Provider {
  @JsonProperty("openai") OPENAI("openai", "https://api.openai.com/v1"),
  @JsonProperty("azure-openai") AZURE_OPENAI("azure-openai", ""),
  @JsonProperty("anthropic") ANTHROPIC("anthropic", "https://api.anthropic.com"),
  @JsonProperty("gemini") GEMINI("gemini", "https://generativelanguage.googleapis.com"),
  @JsonProperty("ollama") OLLAMA("ollama", "http://localhost:11434"),
  @JsonProperty("openai-compatible") OPENAI_COMPATIBLE("openai-compatible", ""),
  @JsonProperty("mock") MOCK("mock", "");

  private final String wireName;
  private final String defaultUrl;

  Provider(String wireName, String defaultUrl) {
    this.wireName = wireName;
    this.defaultUrl = defaultUrl;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** The public endpoint used when {@code spec.url} is omitted; empty when there is none. */
  public Optional<String> defaultUrl() {
    return defaultUrl.isEmpty() ? Optional.empty() : Optional.of(defaultUrl);
  }

  /** Whether the provider refuses requests without an API key. */
  public boolean requiresCredentials() {
    return this == OPENAI || this == AZURE_OPENAI || this == ANTHROPIC || this == GEMINI;
  }

  public static Optional<Provider> fromWireName(String name) {
    return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
  }

  @Override
  public String toString() {
    return wireName;
  }
}
