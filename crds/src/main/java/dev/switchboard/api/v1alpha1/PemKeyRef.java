package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One key of a ConfigMap or Secret, in the backend's namespace, holding PEM certificates. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PemKeyRef(
    @JsonPropertyDescription("Name of the ConfigMap or Secret, in the same namespace as the ChatBackend.")
    @Required
    @Size(max = SchemaRules.OBJECT_NAME_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.OBJECT_NAME_RULE, message = SchemaRules.OBJECT_NAME_MESSAGE)
    String name,
    @JsonPropertyDescription("Key holding one or more PEM certificates (-----BEGIN CERTIFICATE-----), for example ca.crt.")
    @Required
    @Size(max = 253)
    @ValidationRule(value = "self.matches('^[-._a-zA-Z0-9]+$')", message = "must be a key: letters, digits, '-', '_' and '.'")
    String key) {}
