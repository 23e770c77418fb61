package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** The certificate the gateway presents to a backend that asks for one (mutual TLS). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientCertificate(
    @JsonPropertyDescription("A kubernetes.io/tls Secret: tls.crt holds the certificate (and its intermediates), tls.key the private key as PKCS#8, PKCS#1 RSA or EC PEM, the forms kubectl create secret tls and cert-manager write.")
    @Required
    SecretNameRef secretRef) {}
