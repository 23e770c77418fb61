package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Whether one target of a route can take traffic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TargetStatus(
    @JsonPropertyDescription("Name of the target's ChatBackend.")
    String backend,
    @JsonPropertyDescription("The backend model the target uses.")
    String model,
    @JsonPropertyDescription("True when the target resolved and its backend is Ready.")
    Boolean ready,
    @JsonPropertyDescription("Why the target is not ready, as a CamelCase word.")
    String reason,
    @JsonPropertyDescription("Details on the target's state.")
    String message) {}
