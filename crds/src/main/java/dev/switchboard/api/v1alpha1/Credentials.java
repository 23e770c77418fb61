package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where the backend's API key comes from. Keys never appear in the resource itself. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Credentials(
    @JsonPropertyDescription("The Secret key holding the provider API key. It is sent as the provider expects: Authorization: Bearer for OpenAI-format providers, api-key for Azure, x-api-key for Anthropic, x-goog-api-key for Gemini.")
    @Required
    SecretKeyRef secretRef) {}
