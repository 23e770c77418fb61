package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the proxies observed when they last probed the backend. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Connectivity(
    @JsonPropertyDescription("Number of proxies whose last probe reached the backend.")
    Integer reachableProxies,
    @JsonPropertyDescription("Number of proxies that reported on the backend.")
    Integer totalProxies,
    @JsonPropertyDescription("Median probe latency across the proxies that reached the backend, in milliseconds.")
    Long latencyMillis,
    @JsonPropertyDescription("When the most recent probe finished (RFC 3339).")
    String lastProbeTime,
    @JsonPropertyDescription("The most recent probe error, with secrets masked.")
    String lastError) {}
