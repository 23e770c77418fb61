package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Observed state of a ModelRoute, written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelRouteStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.")
    Long observedGeneration,
    @JsonPropertyDescription("Accepted: the spec is valid and the route owns its model name (reason Conflict when an older route has it). ResolvedRefs: every target names an existing backend and one of its models. Ready: at least one target's backend is Ready and the target is not suspended. CapabilitiesVerified (when spec.capabilities names tools, stream-usage, json-mode or vision): whether the backends' capability checks back them up; False with reason CapabilityFailed when one failed on every target.")
    List<Condition> conditions,
    @JsonPropertyDescription("Readiness of each target, in spec order.")
    List<TargetStatus> targets) {}
