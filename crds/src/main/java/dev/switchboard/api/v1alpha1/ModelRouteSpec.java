package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Desired state of a ModelRoute: a client-facing model name and where its requests go. */
@ValidationRule(
    value = "!has(self.aliases) || self.aliases.all(a, self.aliases.exists_one(b, b == a))",
    message = "aliases must be unique",
    messageExpression = "'aliases must be unique; repeated: ' + self.aliases.filter(a, !self.aliases.exists_one(b, b == a))[0]")
@ValidationRule(
    value = "!has(self.aliases) || !has(self.model) || !(self.model in self.aliases)",
    message = "aliases must differ from model")
@ValidationRule(
    value = "!has(self.strategy) || self.strategy != 'weighted' || !has(self.targets) || self.targets.exists(t, !has(t.weight) || t.weight > 0)",
    message = "the weighted strategy needs at least one target with a weight above 0")
@ValidationRule(
    value = "!has(self.targets) || !has(self.model) || self.targets.all(t, self.targets.exists_one(u, u.backendRef.name == t.backendRef.name && (has(u.model) ? u.model : self.model) == (has(t.model) ? t.model : self.model)))",
    message = "targets must not repeat the same backendRef and model")
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelRouteSpec(
    @JsonPropertyDescription("The model name clients send, for example gpt-4o or chat-default. Unique across routes: when two routes claim one name or alias, the older route keeps it and the other is not accepted (reason Conflict).")
    @Required
    @Size(max = SchemaRules.MODEL_NAME_MAX_LENGTH)
    @ValidationRule(value = SchemaRules.MODEL_NAME_RULE, message = SchemaRules.MODEL_NAME_MESSAGE)
    String model,
    @JsonPropertyDescription("Other names clients may send for the same route.")
    @Size(max = 32)
    @ValidationRule(
        value = "self.all(a, a.matches('^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$'))",
        message = "aliases " + SchemaRules.MODEL_NAME_MESSAGE)
    List<@Size(max = SchemaRules.MODEL_NAME_MAX_LENGTH) String> aliases,
    @JsonPropertyDescription("Free text shown in /v1/models.")
    @Size(max = 1024)
    String description,
    @JsonPropertyDescription("What the model can do, for clients to discover in /v1/models, for example tools, vision, json-mode, reasoning. The words capability checks can prove (tools, stream-usage, json-mode, vision) are checked against the targets' ChatBackend checks (condition CapabilitiesVerified).")
    @Size(max = 16)
    @ValidationRule(
        value = "self.all(c, c.matches('^[a-z0-9][a-z0-9-]*$'))",
        message = "capabilities must be lower-case words such as tools, vision or json-mode")
    List<@Size(max = 64) String> capabilities,
    @JsonPropertyDescription("How a target is chosen: failover (by priority, the default), round-robin, weighted (by weight) or least-latency.")
    Strategy strategy,
    @JsonPropertyDescription("Where requests go. At least one.")
    @Required
    @Size(min = 1, max = 32)
    List<RouteTarget> targets,
    @JsonPropertyDescription("Retries on failure. Before the first byte of a response reaches the client, a failed try may be retried on another target; after it, the stream ends with an error event.")
    RetrySpec retry,
    @JsonPropertyDescription("Request parameters applied when the client omits them, for example temperature: 0.2 or max_tokens: 1024. May not set model, messages, stream or stream_options.")
    @PreserveUnknownFields
    JsonNode defaults,
    @JsonPropertyDescription("When true, request parameters a target's provider cannot express (for example logprobs on Anthropic) are dropped; when false (the default) such a request gets a 400 naming the parameter.")
    Boolean dropUnsupportedParameters,
    @JsonPropertyDescription("When true, a request that needs a capability (tools, stream-usage, json-mode, vision) that every remaining target's model failed in its ChatBackend's capability checks gets a 400 naming the capability and those targets; when false (the default) it is still served, in order, with an x-switchboard-unverified header naming the capability.")
    Boolean requireCapabilities) {}
