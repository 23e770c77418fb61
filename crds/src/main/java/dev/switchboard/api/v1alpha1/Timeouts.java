package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** How long the proxy waits on this backend. */
public record Timeouts(
    @JsonPropertyDescription("Time to establish a TCP/TLS connection. Default 5s.")
    @Size(max = SchemaRules.DURATION_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.DURATION_RULE, message = SchemaRules.DURATION_MESSAGE)
    @ValidationRule(value = SchemaRules.POSITIVE_DURATION_RULE, message = SchemaRules.POSITIVE_DURATION_MESSAGE)
    String connect,
    @JsonPropertyDescription("Time for a whole non-streamed response, and for the first byte of a streamed one. Default 300s.")
    @Size(max = SchemaRules.DURATION_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.DURATION_RULE, message = SchemaRules.DURATION_MESSAGE)
    @ValidationRule(value = SchemaRules.POSITIVE_DURATION_RULE, message = SchemaRules.POSITIVE_DURATION_MESSAGE)
    String request,
    @JsonPropertyDescription("Longest silence allowed between two chunks of a streamed response, once it has started. Default 60s. Raise it for local models that pause while loading.")
    @Size(max = SchemaRules.DURATION_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.DURATION_RULE, message = SchemaRules.DURATION_MESSAGE)
    @ValidationRule(value = SchemaRules.POSITIVE_DURATION_RULE, message = SchemaRules.POSITIVE_DURATION_MESSAGE)
    String streamIdle) {}
