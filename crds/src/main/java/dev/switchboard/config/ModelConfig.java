package dev.switchboard.config;

import dev.switchboard.api.v1alpha1.ModelType;
import java.util.Optional;

/**
 * One model of a backend.
 *
 * @param name the name routes use
 * @param upstreamName what is sent to the provider: the Azure deployment, the spec's upstreamName, or the name
 */
public record ModelConfig(
    String name,
    String upstreamName,
    ModelType type,
    Optional<Integer> contextWindow,
    Optional<Integer> maxOutputTokens,
    Optional<ModelPrice> price) {}
