package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** Desired state of a ChatBackend: one provider endpoint and the models it serves. */
@ValidationRule(
    value = "has(self.url) || !(self.provider in ['azure-openai', 'openai-compatible'])",
    message = "url is required for this provider: it has no public default",
    messageExpression = "'url is required for provider ' + self.provider + ': it has no public default'")
@ValidationRule(
    value = "has(self.credentials) || !(self.provider in ['openai', 'azure-openai', 'anthropic', 'gemini'])",
    message = "credentials.secretRef is required for this provider",
    messageExpression = "'credentials.secretRef is required for provider ' + self.provider")
@ValidationRule(
    value = "self.provider != 'azure-openai' || has(self.azure)",
    message = "azure (apiVersion and deployments) is required for provider azure-openai")
@ValidationRule(
    value = "!has(self.azure) || self.provider == 'azure-openai'",
    message = "azure is only allowed when provider is azure-openai")
@ValidationRule(
    value = "!has(self.api) || self.provider in ['openai', 'openai-compatible', 'azure-openai']",
    message = "api is only allowed for providers openai, openai-compatible and azure-openai",
    messageExpression = "'api is only allowed for providers openai, openai-compatible and azure-openai, not ' + self.provider")
@ValidationRule(
    value = "!has(self.reasoningSummary) || self.provider in ['openai', 'openai-compatible', 'azure-openai']",
    message = "reasoningSummary is only allowed for providers openai, openai-compatible and azure-openai")
@ValidationRule(
    value = "!has(self.api) || !has(self.azure) || !has(self.azure.api) || self.api == self.azure.api",
    message = "api and azure.api disagree; azure.api is the older spelling of api: keep one of them",
    messageExpression = "'api is ' + self.api + ' but azure.api is ' + self.azure.api + '; azure.api is the older spelling of api: keep one of them'")
@ValidationRule(
    value = "!has(self.reasoningSummary) || !has(self.azure) || !has(self.azure.reasoningSummary) || self.reasoningSummary == self.azure.reasoningSummary",
    message = "reasoningSummary and azure.reasoningSummary disagree; azure.reasoningSummary is the older spelling: keep one of them")
@ValidationRule(
    value = "!has(self.mock) || self.provider == 'mock'",
    message = "mock is only allowed when provider is mock")
@ValidationRule(
    value = "!has(self.models) || self.models.all(m, self.models.exists_one(o, o.name == m.name))",
    message = "model names must be unique within a backend",
    messageExpression = "'model names must be unique within a backend; repeated: ' + self.models.filter(m, !self.models.exists_one(o, o.name == m.name)).map(m, m.name)[0]")
@ValidationRule(
    value = "self.provider != 'azure-openai' || !has(self.azure) || !has(self.models) || self.models.all(m, has(self.azure.deployments) && m.name in self.azure.deployments)",
    message = "every model of an azure-openai backend needs a deployment in azure.deployments",
    messageExpression = "'azure.deployments has no deployment for model ' + self.models.filter(m, !has(self.azure.deployments) || !(m.name in self.azure.deployments)).map(m, m.name).join(', ')")
@ValidationRule(
    value = "self.provider != 'azure-openai' || !has(self.azure) || !has(self.azure.deployments) || !has(self.models) || self.azure.deployments.all(d, self.models.exists(m, m.name == d))",
    message = "azure.deployments names a model that is not listed in models",
    messageExpression = "'azure.deployments names a model that is not listed in models: ' + self.azure.deployments.filter(d, !self.models.exists(m, m.name == d)).join(', ')")
@ValidationRule(
    value = "self.provider != 'anthropic' || !has(self.models) || self.models.all(m, !has(m.type) || m.type == 'chat')",
    message = "anthropic serves no embedding models; set type: chat or leave it out")
@ValidationRule(
    value = "!has(self.tls) || (has(self.url) ? self.url.startsWith('https://') : self.provider in ['openai', 'anthropic', 'gemini'])",
    message = "tls applies to https:// backends only: set an https:// url")
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatBackendSpec(
    @JsonPropertyDescription("Wire protocol of the backend: openai, azure-openai, anthropic, gemini, ollama, openai-compatible (vLLM, LM Studio, llama.cpp, OpenRouter, Together, Groq...) or mock (in-process, for tests and demos).")
    @Required
    Provider provider,
    @JsonPropertyDescription("Base URL. For openai and openai-compatible it is the API base as the OpenAI SDK takes it, for example http://vllm:8000/v1 (requests go to {url}/chat/completions); for azure-openai the resource endpoint, for example https://my-resource.openai.azure.com. Defaults: openai https://api.openai.com/v1, anthropic https://api.anthropic.com, gemini https://generativelanguage.googleapis.com, ollama http://localhost:11434. Required for azure-openai and openai-compatible.")
    @Size(max = 2048)
    @ValidationRule(
        value = "self.matches('^https?://[^/?#\\\\s]+(/[^?#\\\\s]*)?$')",
        message = "must be an http:// or https:// URL without query string or fragment")
    String url,
    @JsonPropertyDescription("Which OpenAI API the backend is called with, for providers openai, openai-compatible and azure-openai: chat-completions (POST {url}/chat/completions; for Azure /openai/deployments/{deployment}/chat/completions) or responses (POST {url}/responses; for Azure /openai/responses, or /openai/v1/responses with apiVersion v1). Responses backends receive Responses clients' requests as they were written and every other client's translated. Default chat-completions; azure.api is the older spelling for Azure and still works.")
    BackendApi api,
    @JsonPropertyDescription("With api: responses, the reasoning summary requested whenever a Chat Completions or Messages request asks for reasoning: auto, concise, detailed, or none to request no summary. Summaries reach chat clients as reasoning_content. Default auto; azure.reasoningSummary is the older spelling.")
    ReasoningSummary reasoningSummary,
    @JsonPropertyDescription("Where the API key comes from. Required for openai, azure-openai, anthropic and gemini; optional for ollama and openai-compatible.")
    Credentials credentials,
    @JsonPropertyDescription("Azure OpenAI settings; required when provider is azure-openai.")
    AzureSpec azure,
    @JsonPropertyDescription("The models this backend serves. ModelRoute targets may only name models listed here.")
    @Required
    @Size(min = 1, max = 256)
    List<ModelSpec> models,
    @JsonPropertyDescription("Connect, request and stream-idle timeouts.")
    Timeouts timeouts,
    @JsonPropertyDescription("Rate and concurrency limits on this backend, held for the whole proxy fleet (exactly with a shared Redis, as each proxy's share without one); a limited backend is skipped as if ejected.")
    Limits limits,
    @JsonPropertyDescription("Background probing of the backend, which feeds the Reachable condition and discoveredModels.")
    HealthCheck healthCheck,
    @JsonPropertyDescription("Extra HTTP headers sent with every request, for example OpenRouter's HTTP-Referer. Not for credentials: use credentials.secretRef.")
    @Size(max = 32)
    @ValidationRule(
        value = "self.all(h, h.matches('^[A-Za-z0-9!#$%&*+.^_|~-]+$'))",
        message = "header names may contain only letters, digits and !#$%&*+.^_|~-")
    @ValidationRule(
        value = "self.all(h, !(h.lowerAscii() in ['authorization', 'proxy-authorization', 'api-key', 'x-api-key', 'x-goog-api-key', 'cookie']))",
        message = "headers must not carry credentials (authorization, api-key, x-api-key, x-goog-api-key, cookie); use credentials.secretRef")
    @ValidationRule(
        value = "self.all(h, !(h.lowerAscii() in ['host', 'content-length', 'content-type', 'transfer-encoding', 'connection']))",
        message = "headers cannot override host, content-length, content-type, transfer-encoding or connection")
    Map<@Size(max = 128) String, @Size(max = 4096) String> headers,
    @JsonPropertyDescription("Behaviour of the mock provider; only allowed when provider is mock.")
    MockSpec mock,
    @JsonPropertyDescription("True takes the backend out of service without deleting it: it gets no new requests (routes fail over to their other targets, as if it were ejected), while requests and streams already running on it finish. Probes keep running, so status still shows whether it would be healthy. Default false.")
    Boolean suspended,
    @JsonPropertyDescription("True serves each model listed in models (not discovered ones) to clients as <backend name>/<model>, for example openai/gpt-4o, without a ModelRoute: one attempt, no retries or failover, this backend's limits and timeouts. The names collide with ModelRoute names and aliases by the same rule (the older claim wins). Default false.")
    Boolean exposeModels,
    @JsonPropertyDescription("TLS for an https:// backend behind a private CA or requiring a client certificate: ca (a CA bundle from a ConfigMap or Secret), caMode, clientCertificate (a kubernetes.io/tls Secret) and serverName. Verification cannot be switched off. A handshake failure shows as Reachable False with reason TLSHandshakeFailed and the problem in words.")
    TlsSpec tls,
    @JsonPropertyDescription("An egress proxy for this backend, overriding the proxy pods' HTTPS_PROXY, HTTP_PROXY and NO_PROXY: url with optional credentials, or direct: true for none.")
    EgressProxySpec proxy) {

  /** Whether {@code suspended} is set true. */
  public boolean suspendedOrFalse() {
    return Boolean.TRUE.equals(suspended);
  }
}
