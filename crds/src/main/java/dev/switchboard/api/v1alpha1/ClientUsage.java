package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A client's usage in one period. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientUsage(
    @JsonPropertyDescription("When the period began (RFC 3339, UTC).")
    String periodStart,
    @JsonPropertyDescription("Requests answered or attempted in the period.")
    Long requests,
    @JsonPropertyDescription("Prompt tokens the providers reported (estimated where they report none).")
    Long promptTokens,
    @JsonPropertyDescription("Completion tokens the providers reported (estimated where they report none).")
    Long completionTokens,
    @JsonPropertyDescription("Cost in US dollars from the models' pricing, cached input at its cached price.")
    Double costUsd,
    @JsonPropertyDescription("When the key was last used (RFC 3339).")
    String lastUsed) {}
