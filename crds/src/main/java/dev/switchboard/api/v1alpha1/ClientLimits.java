package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** A client's rate limits, for the whole fleet. Requests over one get 429 rate_limit_exceeded with Retry-After. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientLimits(
    @JsonPropertyDescription("Most requests per minute, over a sliding minute, across every proxy.")
    @Min(1)
    Integer requestsPerMinute,
    @JsonPropertyDescription("Most prompt plus completion tokens per minute across every proxy: reserved from each request's estimate when it starts and settled from the usage the provider reports.")
    @Min(1)
    Integer tokensPerMinute,
    @JsonPropertyDescription("Most requests in flight at once across every proxy.")
    @Min(1)
    Integer maxConcurrent) {}
