package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** Token prices in US dollars per million tokens, used for cost metrics. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Pricing(
    @JsonPropertyDescription("Price of one million prompt (input) tokens, in US dollars.")
    @Min(0)
    Double input,
    @JsonPropertyDescription("Price of one million completion (output) tokens, in US dollars.")
    @Min(0)
    Double output,
    @JsonPropertyDescription("Price of one million cached prompt tokens, in US dollars, where the provider discounts them.")
    @Min(0)
    Double cachedInput) {}
