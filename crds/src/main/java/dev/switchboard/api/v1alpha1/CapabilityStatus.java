package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The last check of one capability of one model. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CapabilityStatus(
    @JsonPropertyDescription("The backend model checked (a name from spec.models).")
    String model,
    @JsonPropertyDescription("The capability checked: tools, stream-usage, json-mode or vision.")
    Capability capability,
    @JsonPropertyDescription("Whether the model did what the capability promises in the last check.")
    Boolean verified,
    @JsonPropertyDescription("Verified, or why not as a CamelCase word: NoToolCall, WrongTool, InvalidArguments, NoUsage, NotJson, SchemaMismatch, Refused (the provider answered the check with a 4xx).")
    String reason,
    @JsonPropertyDescription("What the check saw, in words (secrets masked).")
    String message,
    @JsonPropertyDescription("When the check ran (RFC 3339).")
    String lastChecked) {}
