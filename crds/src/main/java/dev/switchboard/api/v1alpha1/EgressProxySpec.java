package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** This backend's egress proxy, overriding the proxy pods' HTTPS_PROXY, HTTP_PROXY and NO_PROXY. */
@ValidationRule(
    value = "has(self.url) != (has(self.direct) && self.direct)",
    message = "set either url (the proxy to use) or direct: true (no proxy), not both or neither")
@ValidationRule(
    value = "!has(self.credentials) || has(self.url)",
    message = "credentials need a url")
@JsonIgnoreProperties(ignoreUnknown = true)
public record EgressProxySpec(
    @JsonPropertyDescription("The HTTP proxy, as http://host:port. https:// backends are tunnelled through it with CONNECT, so TLS still runs end to end. Credentials do not belong in the URL: use credentials.")
    @Size(max = 2048)
    @ValidationRule(
        value = "self.matches('^http://[^/?#@\\\\s]+/?$')",
        message = "must be http://host:port, without a path or user info (put credentials in credentials.secretRef)")
    String url,
    @JsonPropertyDescription("A Secret with the keys username and password (a kubernetes.io/basic-auth Secret), sent to the proxy as Proxy-Authorization: Basic.")
    ProxyCredentials credentials,
    @JsonPropertyDescription("True connects directly, ignoring the proxy pods' HTTPS_PROXY and HTTP_PROXY for this backend.")
    Boolean direct) {

  public boolean directOrFalse() {
    return Boolean.TRUE.equals(direct);
  }

  /** Where an egress proxy's login comes from. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ProxyCredentials(
      @JsonPropertyDescription("A Secret with the keys username and password.")
      @io.fabric8.generator.annotation.Required
      SecretNameRef secretRef) {}
}
