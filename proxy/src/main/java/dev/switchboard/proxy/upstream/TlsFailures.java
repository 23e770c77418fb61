package dev.switchboard.proxy.upstream;

import dev.switchboard.config.BackendConfig;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Words for a failed TLS handshake: the certificate problems {@link ExplainingTrustManager} found,
 * and the alerts a backend sends about the client certificate. Pure.
 */
final class TlsFailures {
  private static final List<String> REFUSED_CLIENT = List.of("bad_certificate", "unknown_ca", "certificate_unknown",
      "access_denied", "certificate_expired", "certificate_revoked", "unsupported_certificate", "decrypt_error");

  private TlsFailures() {}

  /** The problem in words, when {@code error} is a TLS failure. */
  static Optional<String> describe(BackendConfig backend, Throwable error) {
    boolean tls = false;
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ExplainingTrustManager.Refusal refusal) {
        return Optional.of(refusal.getMessage());
      }
      tls |= t instanceof SSLException;
    }
    if (!tls) {
      return Optional.empty();
    }
    String text = "";
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SSLException && t.getMessage() != null) {
        text = t.getMessage();
        break;
      }
    }
    String lower = text.toLowerCase(Locale.ROOT);
    boolean presents = backend.tls().map(b -> b.presentsCertificate()).orElse(false);
    if (lower.contains("certificate_required")) {
      return Optional.of(presents
          ? "client certificate refused: the backend requires a client certificate and did not take the one presented"
          : "client certificate required: the backend requires one; set spec.tls.clientCertificate");
    }
    for (String alert : REFUSED_CLIENT) {
      if (lower.contains("received fatal alert: " + alert)) {
        return Optional.of(presents
            ? "client certificate refused: the backend answered " + alert + " to the certificate presented (is it signed by a CA the backend trusts, and still valid?)"
            : "the backend ended the handshake with " + alert + (alert.equals("bad_certificate") || alert.equals("certificate_unknown")
                ? " (it may require a client certificate: spec.tls.clientCertificate)" : ""));
      }
    }
    if (lower.contains("unrecognized ssl message") || lower.contains("plaintext connection")) {
      return Optional.of("the backend did not answer in TLS (is its url http://?)");
    }
    if (lower.contains("received fatal alert: handshake_failure") || lower.contains("no appropriate protocol")
        || lower.contains("protocol_version")) {
      return Optional.of("no TLS version or cipher in common with the backend (" + text + ")");
    }
    return Optional.of(text.isEmpty() ? "the TLS handshake failed" : text);
  }
}
