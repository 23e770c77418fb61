package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Observed state of a ClientKey, written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientKeyStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.")
    Long observedGeneration,
    @JsonPropertyDescription("Ready: the key is valid and the proxies accept it. BudgetExhausted: the period's spend reached the budget. Expired: expiresAt has passed. Degraded: limits cannot be checked fleet-wide now (Redis unreachable).")
    List<Condition> conditions,
    @JsonPropertyDescription("The Secret holding the key: spec.secretRef's, or the one the operator generated.")
    String secretName,
    @JsonPropertyDescription("What this client used in the current budget period (the current UTC month without a budget), summed over every proxy.")
    ClientUsage usage) {}
