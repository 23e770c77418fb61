package dev.switchboard.config;

import dev.switchboard.api.v1alpha1.AzureApi;
import dev.switchboard.api.v1alpha1.ReasoningSummary;

/** Azure OpenAI settings; deployments are already resolved into each model's upstream name. */
public record AzureConfig(String apiVersion, AzureApi api, ReasoningSummary reasoningSummary) {
  public AzureConfig {
    reasoningSummary = reasoningSummary == null ? ReasoningSummary.AUTO : reasoningSummary;
  }

  public AzureConfig(String apiVersion, AzureApi api) {
    this(apiVersion, api, ReasoningSummary.AUTO);
  }

  /** Whether the configured version selects the versionless {@code /openai/v1} API. */
  public boolean v1Api() {
    return apiVersion.equals("v1") || apiVersion.equals("preview") || apiVersion.equals("latest");
  }
}
