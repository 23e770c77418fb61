package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One place a route can send a request: a backend and one of its models. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RouteTarget(
    @JsonPropertyDescription("The ChatBackend that serves this target.")
    @Required
    BackendRef backendRef,
    @JsonPropertyDescription("Name of the model in the backend's models list. Default: the route's model.")
    @Size(max = SchemaRules.MODEL_NAME_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.MODEL_NAME_RULE, message = SchemaRules.MODEL_NAME_MESSAGE)
    String model,
    @JsonPropertyDescription("Failover order: lower is tried first (0 before 1). Targets with equal priority share load. Default 0.")
    @Min(0)
    @Max(1000)
    Integer priority,
    @JsonPropertyDescription("Share of traffic under the weighted strategy, relative to the other targets; 0 takes none. Default 1.")
    @Min(0)
    @Max(10000)
    Integer weight,
    @JsonPropertyDescription("Request parameters merged into every request sent to this target, over the client's values, for example reasoning_effort: high. May not set model, messages, stream or stream_options.")
    @PreserveUnknownFields
    JsonNode parameters,
    @JsonPropertyDescription("True takes this target out of the route without removing it: it gets no new requests (the route fails over to its other targets), while requests and streams already running finish. Default false.")
    Boolean suspended) {}
