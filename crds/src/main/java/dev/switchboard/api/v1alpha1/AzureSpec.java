package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** Azure OpenAI settings. Required when provider is azure-openai, forbidden otherwise. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AzureSpec(
    @JsonPropertyDescription("The api-version query parameter sent with every request, for example 2024-10-21 or 2025-04-01-preview; v1 selects the versionless /openai/v1 API. Required: Switchboard never picks a version for you, because Azure changes behaviour between versions.")
    @Required
    @Size(max = 32)
    @ValidationRule(
        value = "self.matches('^(v1|preview|latest|[0-9]{4}-[0-9]{2}-[0-9]{2}(-preview)?)$')",
        message = "must be an Azure api-version such as 2024-10-21 or 2025-04-01-preview, or v1 for the versionless API")
    String apiVersion,
    @JsonPropertyDescription("The older spelling of spec.api, kept working: chat-completions (POST /openai/deployments/{deployment}/chat/completions) or responses (POST /openai/responses). Prefer spec.api.")
    BackendApi api,
    @JsonPropertyDescription("The older spelling of spec.reasoningSummary, kept working. Prefer spec.reasoningSummary.")
    ReasoningSummary reasoningSummary,
    @JsonPropertyDescription("Deployment name for each model in models, keyed by model name. Azure addresses a model by the deployment you created for it, so every model needs one.")
    @Size(max = 256)
    @ValidationRule(
        value = "self.all(m, self[m].matches('^[A-Za-z0-9][A-Za-z0-9._-]*$'))",
        message = "deployment names may contain only letters, digits, '.', '_' and '-'")
    Map<String, @Size(max = 256) String> deployments) {}
