package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** One LLM provider endpoint and the models it serves. */
@Group(ChatBackend.GROUP)
@Version(ChatBackend.VERSION)
@Kind("ChatBackend")
@Plural("chatbackends")
@Singular("chatbackend")
@ShortNames("cb")
@Categories("switchboard")
@JsonClassDescription("ChatBackend declares one LLM provider endpoint (OpenAI, Azure OpenAI, Anthropic, Gemini, Ollama, any OpenAI-compatible server, or the built-in mock) and the models it serves. ModelRoutes send client requests to it; the status says whether the proxies can reach it.")
@AdditionalPrinterColumn(name = "Provider", jsonPath = ".spec.provider", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reachable", jsonPath = ".status.conditions[?(@.type==\"Reachable\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Suspended", jsonPath = ".spec.suspended", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Latency", jsonPath = ".status.connectivity.latencyMillis", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "URL", jsonPath = ".spec.url", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ChatBackend extends CustomResource<ChatBackendSpec, ChatBackendStatus> implements Namespaced {
  public static final String GROUP = "switchboard.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String KIND = "ChatBackend";

  @Override
  @JsonPropertyDescription("Desired state: provider, endpoint, credentials and models.")
  public ChatBackendSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state, written by the operator: conditions, connectivity and discovered models.")
  public ChatBackendStatus getStatus() {
    return super.getStatus();
  }
}
