package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A whole Secret in the backend's namespace, read by its well-known keys. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SecretNameRef(
    @JsonPropertyDescription("Name of the Secret, in the same namespace as the ChatBackend.")
    @Required
    @Size(max = SchemaRules.OBJECT_NAME_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.OBJECT_NAME_RULE, message = SchemaRules.OBJECT_NAME_MESSAGE)
    String name) {}
