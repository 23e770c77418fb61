package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Min;

/** A spending limit per UTC calendar period. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Budget(
    @JsonPropertyDescription("The most this client may spend in a period, in US dollars, for example 25 or 0.5.")
    @Required
    @Min(value = 0, inclusive = false)
    Double usd,
    @JsonPropertyDescription("The period the budget covers, in UTC calendar terms: day (from 00:00), week (from Monday 00:00) or month (from the 1st). Default month.")
    BudgetPeriod period) {}
