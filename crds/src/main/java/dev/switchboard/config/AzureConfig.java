package dev.switchboard.config;

/**
 * Azure OpenAI settings; deployments are already resolved into each model's upstream name, and
 * {@code azure.api} and {@code azure.reasoningSummary} into the backend's own fields.
 */
public record AzureConfig(String apiVersion) {
  /** Whether the configured version selects the versionless {@code /openai/v1} API. */
  public boolean v1Api() {
    return apiVersion.equals("v1") || apiVersion.equals("preview") || apiVersion.equals("latest");
  }
}
