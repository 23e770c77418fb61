package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How the gateway verifies a backend's certificate and which certificate it presents. There is
 * deliberately no way to switch verification off: a self-signed certificate is trusted by
 * putting it (or its CA) in {@code ca}.
 */
@ValidationRule(
    value = "!has(self.caMode) || self.caMode != 'replace' || has(self.ca)",
    message = "caMode replace needs ca: with nothing to replace the default trust with, no certificate would be trusted")
@JsonIgnoreProperties(ignoreUnknown = true)
public record TlsSpec(
    @JsonPropertyDescription("CA certificates (PEM, one or more) that sign the backend's certificate, from a ConfigMap or a Secret. A change reaches new connections within seconds, without a restart.")
    CaBundleRef ca,
    @JsonPropertyDescription("append (default): the CAs in ca are trusted besides the JVM's default public CAs. replace: only the CAs in ca are trusted.")
    CaMode caMode,
    @JsonPropertyDescription("A client certificate for backends that require mutual TLS.")
    ClientCertificate clientCertificate,
    @JsonPropertyDescription("The name sent in SNI and checked against the backend's certificate, when it differs from the url's host (for example when the url is an IP address or an internal Service name).")
    @Size(max = 253)
    @ValidationRule(
        value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",
        message = "must be a DNS name in lower case, for example vllm.internal.example.com")
    String serverName) {

  public CaMode caModeOrDefault() {
    return caMode == null ? CaMode.APPEND : caMode;
  }
}
