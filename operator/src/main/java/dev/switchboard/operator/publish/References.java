package dev.switchboard.operator.publish;

import dev.switchboard.api.v1alpha1.ChatBackend;
import dev.switchboard.api.v1alpha1.ChatBackendSpec;
import java.util.Set;

/** The Secrets and ConfigMaps a ChatBackend names: its API key, its CA bundle, client certificate and proxy login. */
final class References {
  private References() {}

  static void of(ChatBackend backend, Set<String> secrets, Set<String> configMaps) {
    String ns = backend.getMetadata().getNamespace() + "/";
    ChatBackendSpec spec = backend.getSpec();
    if (spec.credentials() != null && spec.credentials().secretRef() != null) {
      secrets.add(ns + spec.credentials().secretRef().name());
    }
    if (spec.tls() != null) {
      if (spec.tls().ca() != null && spec.tls().ca().configMapRef() != null) {
        configMaps.add(ns + spec.tls().ca().configMapRef().name());
      }
      if (spec.tls().ca() != null && spec.tls().ca().secretRef() != null) {
        secrets.add(ns + spec.tls().ca().secretRef().name());
      }
      if (spec.tls().clientCertificate() != null && spec.tls().clientCertificate().secretRef() != null) {
        secrets.add(ns + spec.tls().clientCertificate().secretRef().name());
      }
    }
    if (spec.proxy() != null && spec.proxy().credentials() != null && spec.proxy().credentials().secretRef() != null) {
      secrets.add(ns + spec.proxy().credentials().secretRef().name());
    }
  }
}
