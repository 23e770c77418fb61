package dev.switchboard.config;

import java.util.Optional;

/**
 * A backend's TLS material as the compiler resolved it from its ConfigMap and Secrets. The PEM
 * text travels in the config (as API keys do), so a rotated Secret reaches every proxy with the
 * next pushed config and no proxy reads Kubernetes itself.
 *
 * @param caBundle PEM CA certificates; empty when the default trust is used alone
 * @param caSource where the bundle came from, in words, for messages (for example {@code ConfigMap "corp-ca" key "ca.crt"})
 * @param replaceDefaultTrust true when only {@code caBundle} is trusted ({@code caMode: replace})
 * @param clientCertificate the PEM chain presented for mutual TLS, or empty
 * @param clientKey the PEM private key of {@code clientCertificate}, or empty
 * @param serverName the SNI and verification name, when it differs from the URL's host
 */
public record BackendTls(
    String caBundle,
    String caSource,
    boolean replaceDefaultTrust,
    String clientCertificate,
    SecretValue clientKey,
    Optional<String> serverName) {
  public BackendTls {
    caBundle = caBundle == null ? "" : caBundle;
    caSource = caSource == null ? "" : caSource;
    clientCertificate = clientCertificate == null ? "" : clientCertificate;
    clientKey = clientKey == null ? SecretValue.empty() : clientKey;
    serverName = serverName == null ? Optional.empty() : serverName;
  }

  public boolean presentsCertificate() {
    return !clientCertificate.isEmpty();
  }

  @Override
  public String toString() {
    return "BackendTls[ca=" + (caBundle.isEmpty() ? "default" : caSource) + ", replace=" + replaceDefaultTrust
        + ", clientCertificate=" + presentsCertificate() + ", serverName=" + serverName.orElse("") + "]";
  }
}
