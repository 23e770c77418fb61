package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Behaviour of the in-process mock provider, for smoke tests of routes, demos, and load tests of
 * the gateway itself. Only allowed when provider is mock.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MockSpec(
    @JsonPropertyDescription("Fixed reply text. When omitted the mock echoes the last user message.")
    @Size(max = 65536)
    String response,
    @JsonPropertyDescription("Delay before the first byte of every answer, to imitate a model thinking. Default none.")
    @Size(max = SchemaRules.DURATION_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.DURATION_RULE, message = SchemaRules.DURATION_MESSAGE)
    String latency,
    @JsonPropertyDescription("Delay between streamed chunks. Default none.")
    @Size(max = SchemaRules.DURATION_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.DURATION_RULE, message = SchemaRules.DURATION_MESSAGE)
    String chunkDelay,
    @JsonPropertyDescription("Percentage (0-100) of requests answered with failureStatus instead of a reply. Default 0.")
    @Min(0)
    @Max(100)
    Integer failurePercent,
    @JsonPropertyDescription("HTTP status of injected failures, 400-599. Default 500.")
    @Min(400)
    @Max(599)
    Integer failureStatus) {}
