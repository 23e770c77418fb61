package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A ChatBackend in the route's namespace. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackendRef(
    @JsonPropertyDescription("Name of a ChatBackend in the same namespace as the ModelRoute.")
    @Required
    @Size(max = SchemaRules.OBJECT_NAME_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.OBJECT_NAME_RULE, message = SchemaRules.OBJECT_NAME_MESSAGE)
    String name) {}
