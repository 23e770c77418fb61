package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A status condition with the fields and meaning of Kubernetes' {@code metav1.Condition}, declared
 * here so that {@code kubectl explain} describes each field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Condition(
    @JsonPropertyDescription("Condition type: Accepted, ResolvedRefs, Reachable or Ready.")
    String type,
    @JsonPropertyDescription("True, False or Unknown.")
    String status,
    @JsonPropertyDescription("A CamelCase word saying why the condition has this status, for example InvalidSpec, SecretNotFound, Conflict or Unreachable.")
    String reason,
    @JsonPropertyDescription("A human-readable explanation of the status; never contains secret values.")
    String message,
    @JsonPropertyDescription("When the status last changed (RFC 3339). Unchanged while the status stays the same.")
    String lastTransitionTime,
    @JsonPropertyDescription("The metadata.generation the condition was computed from.")
    Long observedGeneration) {

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isTrue() {
    return TRUE.equals(status);
  }
}
