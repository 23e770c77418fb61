package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** Per-proxy limits that protect the backend (and your quota). Requests over a limit get 429. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Limits(
    @JsonPropertyDescription("Most requests per minute each proxy sends to this backend.")
    @Min(1)
    Integer requestsPerMinute,
    @JsonPropertyDescription("Most prompt plus completion tokens per minute each proxy sends to this backend, as reported in usage.")
    @Min(1)
    Integer tokensPerMinute,
    @JsonPropertyDescription("Most requests in flight at once from each proxy to this backend.")
    @Min(1)
    Integer maxConcurrent) {}
