package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where a backend's CA certificates come from: a ConfigMap (as trust-manager and OpenShift publish them) or a Secret. */
@ValidationRule(
    value = "has(self.configMapRef) != has(self.secretRef)",
    message = "set exactly one of configMapRef and secretRef")
@JsonIgnoreProperties(ignoreUnknown = true)
public record CaBundleRef(
    @JsonPropertyDescription("A ConfigMap key holding the PEM CA certificates, for example a trust-manager bundle.")
    PemKeyRef configMapRef,
    @JsonPropertyDescription("A Secret key holding the PEM CA certificates, for example ca.crt of a cert-manager Certificate's Secret.")
    PemKeyRef secretRef) {}
