package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** Per-proxy limits that protect the backend (and your quota). Requests over a limit get 429. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Limits(
    @JsonPropertyDescription("Most requests per minute, over a sliding minute, the whole proxy fleet sends to this backend (exact with a shared Redis; without one each proxy sends its share).")
    @Min(1)
    Integer requestsPerMinute,
    @JsonPropertyDescription("Most prompt plus completion tokens per minute the whole proxy fleet sends to this backend: reserved from each request's estimate when it is sent and settled from the usage the provider reports.")
    @Min(1)
    Integer tokensPerMinute,
    @JsonPropertyDescription("Most requests in flight at once from the whole proxy fleet to this backend.")
    @Min(1)
    Integer maxConcurrent) {}
