package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Observed state of a ChatBackend, written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatBackendStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.")
    Long observedGeneration,
    @JsonPropertyDescription("Accepted: the spec is valid and its Secret resolves. Reachable: the proxies' probes reach the backend. Ready: accepted and reachable, so routes can use it (shown whether or not it is suspended). Suspended: spec.suspended keeps new requests away. ModelsExposed (with spec.exposeModels): the <backend>/<model> names served, or Conflict.")
    List<Condition> conditions,
    @JsonPropertyDescription("What the proxies' probes saw: how many reach the backend, latency, last error.")
    Connectivity connectivity,
    @JsonPropertyDescription("Models the provider's model listing returned at the last probe.")
    List<String> discoveredModels,
    @JsonPropertyDescription("The value of the switchboard.dev/check-now annotation last acted on. Set the annotation to a new value (a timestamp, say) to have every proxy probe the backend at once.")
    String checkRequest,
    @JsonPropertyDescription("The last check of each capability listed in spec.healthCheck.capabilities, per model.")
    List<CapabilityStatus> capabilities) {}
