package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** How long the proxy waits on this backend. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Timeouts(
    @JsonPropertyDescription("Time to establish a TCP/TLS connection. Default 5s.")
    @Size(max = SchemaRules.DURATION_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.DURATION_RULE, message = SchemaRules.DURATION_MESSAGE)
    @ValidationRule(value = SchemaRules.POSITIVE_DURATION_RULE, message = SchemaRules.POSITIVE_DURATION_MESSAGE)
    String connect,
    @JsonPropertyDescription("Time for a whole non-streamed response; for a streamed one, the time until the provider starts answering (its response headers). A retry policy's perTryTimeout may shorten it. Default 300s.")
    @Size(max = SchemaRules.DURATION_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.DURATION_RULE, message = SchemaRules.DURATION_MESSAGE)
    @ValidationRule(value = SchemaRules.POSITIVE_DURATION_RULE, message = SchemaRules.POSITIVE_DURATION_MESSAGE)
    String request,
    @JsonPropertyDescription("Longest silence allowed in a streamed response once the provider has started it, including the wait for the first token. Default 60s. Raise it for local models that take long to load.")
    @Size(max = SchemaRules.DURATION_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.DURATION_RULE, message = SchemaRules.DURATION_MESSAGE)
    @ValidationRule(value = SchemaRules.POSITIVE_DURATION_RULE, message = SchemaRules.POSITIVE_DURATION_MESSAGE)
    String streamIdle) {}
