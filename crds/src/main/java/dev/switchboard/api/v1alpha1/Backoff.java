package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Exponential backoff between attempts: base, doubled each retry, capped at max, with jitter. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Backoff(
    @JsonPropertyDescription("Wait before the first retry. Default 100ms.")
    @Size(max = SchemaRules.DURATION_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.DURATION_RULE, message = SchemaRules.DURATION_MESSAGE)
    String base,
    @JsonPropertyDescription("Longest wait between two attempts. Default 2s. A Retry-After from the provider is honoured up to this cap.")
    @Size(max = SchemaRules.DURATION_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.DURATION_RULE, message = SchemaRules.DURATION_MESSAGE)
    String max) {}
