package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Desired state of a ClientKey. */
@ValidationRule(
    value = "!has(self.models) || self.models.all(m, self.models.exists_one(o, o == m))",
    message = "models must not repeat a name",
    messageExpression = "'models must not repeat a name; repeated: ' + self.models.filter(m, !self.models.exists_one(o, o == m))[0]")
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientKeySpec(
    @JsonPropertyDescription("The Secret key holding this client's API key, in the ClientKey's namespace. Leave it out and the operator generates a random key (sk-sb- and 43 characters of 32 random bytes) into a Secret it owns, named <name>-client-key, which is deleted with the ClientKey.")
    SecretKeyRef secretRef,
    @JsonPropertyDescription("The client-facing model names (routes' models or aliases) this client may call. Leave it out to allow every model. Other names are answered as if they did not exist, and GET /v1/models lists only these.")
    @Size(max = 256)
    @ValidationRule(
        value = "self.all(m, m.matches('^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$'))",
        message = "models " + SchemaRules.MODEL_NAME_MESSAGE)
    List<@Size(max = SchemaRules.MODEL_NAME_MAX_LENGTH) String> models,
    @JsonPropertyDescription("Rate limits for this client, held for the whole proxy fleet: with a shared Redis exactly, without one each proxy enforces its share.")
    ClientLimits limits,
    @JsonPropertyDescription("Spending limit per UTC calendar period; requests are refused with 429 insufficient_quota once the period's cost reaches it. Cost comes from the models' pricing; models without pricing count as $0.")
    Budget budget,
    @JsonPropertyDescription("Refuse every request with this key (401, saying the key is disabled) without deleting it.")
    Boolean disabled,
    @JsonPropertyDescription("When the key stops working (RFC 3339, for example 2027-01-31T00:00:00Z). After it, requests get 401 saying the key expired, and the Expired condition is True.")
    @Size(max = 64)
    @ValidationRule(
        value = "self.matches('^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$')",
        message = "must be an RFC 3339 date and time, for example 2027-01-31T00:00:00Z")
    String expiresAt,
    @JsonPropertyDescription("Browser origins this key may be used from, for example https://app.example.com. Requests carrying another Origin get 403; requests without one (servers, SDKs outside a browser) are not affected. Narrows the gateway's own CORS origins (--cors-origin), which a browser must pass first. Omitted: any origin the gateway allows.")
    @Size(max = 32)
    @ValidationRule(
        value = "self.all(o, o == '*' || o.matches('^https?://[^/?#\\\\s]+$'))",
        message = "origins must be scheme://host[:port] without a path, for example https://app.example.com, or *")
    List<@Size(max = 256) String> allowedOrigins) {}
