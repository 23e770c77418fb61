package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One model a backend serves. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelSpec(
    @JsonPropertyDescription("Model name as ModelRoute targets refer to it, for example gpt-4o or llama3.1:8b. Unique within the backend.")
    @Required
    @Size(max = SchemaRules.MODEL_NAME_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.MODEL_NAME_RULE, message = SchemaRules.MODEL_NAME_MESSAGE)
    String name,
    @JsonPropertyDescription("The model name sent to the provider, when it differs from name (for example a dated snapshot). Not used for azure-openai, which sends the deployment instead.")
    @Size(max = SchemaRules.MODEL_NAME_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.MODEL_NAME_RULE, message = SchemaRules.MODEL_NAME_MESSAGE)
    String upstreamName,
    @JsonPropertyDescription("chat (the default) or embedding. Routes serve /v1/chat/completions from chat models and /v1/embeddings from embedding models.")
    ModelType type,
    @JsonPropertyDescription("Context window in tokens, reported in /v1/models.")
    @Min(1)
    Integer contextWindow,
    @JsonPropertyDescription("Largest completion in tokens. Providers that require max_tokens (Anthropic) get this when the client sends none.")
    @Min(1)
    Integer maxOutputTokens,
    @JsonPropertyDescription("Prices used to report cost in metrics.")
    Pricing pricing) {}
