package dev.switchboard.api.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The background probe each proxy runs against the backend (its model listing). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HealthCheck(
    @JsonPropertyDescription("Whether proxies probe this backend. Default true. With probes off, Reachable stays Unknown.")
    Boolean enabled,
    @JsonPropertyDescription("Time between probes. Default 30s.")
    @Size(max = SchemaRules.DURATION_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.DURATION_RULE, message = SchemaRules.DURATION_MESSAGE)
    @ValidationRule(value = SchemaRules.POSITIVE_DURATION_RULE, message = SchemaRules.POSITIVE_DURATION_MESSAGE)
    String interval,
    @JsonPropertyDescription("Time a probe may take before it counts as failed. Default 5s.")
    @Size(max = SchemaRules.DURATION_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.DURATION_RULE, message = SchemaRules.DURATION_MESSAGE)
    @ValidationRule(value = SchemaRules.POSITIVE_DURATION_RULE, message = SchemaRules.POSITIVE_DURATION_MESSAGE)
    String timeout,
    @JsonPropertyDescription("Capabilities to prove for each listed model with one small real request each: tools (a forced tool call comes back well formed, streamed), stream-usage (a stream with include_usage ends with usage), json-mode (a json_schema answer parses and matches), vision (an image input is accepted). Run for the whole fleet by one proxy, every capabilityInterval; each check is a billed request of a few dozen tokens. Off unless listed. Requests that need a capability prefer targets whose model did not fail it.")
    @Size(max = 4)
    List<Capability> capabilities,
    @JsonPropertyDescription("Time between capability checks. Default 6h.")
    @Size(max = SchemaRules.DURATION_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.DURATION_RULE, message = SchemaRules.DURATION_MESSAGE)
    @ValidationRule(value = SchemaRules.POSITIVE_DURATION_RULE, message = SchemaRules.POSITIVE_DURATION_MESSAGE)
    String capabilityInterval) {}
