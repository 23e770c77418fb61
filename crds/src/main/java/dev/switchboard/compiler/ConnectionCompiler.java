package dev.switchboard.compiler;

import dev.switchboard.api.v1alpha1.CaBundleRef;
import dev.switchboard.api.v1alpha1.CaMode;
import dev.switchboard.api.v1alpha1.EgressProxySpec;
import dev.switchboard.api.v1alpha1.PemKeyRef;
import dev.switchboard.api.v1alpha1.TlsSpec;
import dev.switchboard.config.BackendEgress;
import dev.switchboard.config.BackendTls;
import dev.switchboard.config.SecretValue;
import dev.switchboard.pki.PemMaterial;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Resolves how the proxies connect to a backend: its {@code tls} (CA bundle, client certificate,
 * SNI name) and its {@code proxy}. Certificates and keys are parsed here, so a bad bundle is a
 * condition on the ChatBackend instead of a config every proxy refuses.
 */
final class ConnectionCompiler {
  private static final String TLS_CRT = "tls.crt";
  private static final String TLS_KEY = "tls.key";

  private final SecretLookup lookup;

  ConnectionCompiler(SecretLookup lookup) {
    this.lookup = lookup;
  }

  Optional<BackendTls> tls(ResourceRef ref, TlsSpec spec, List<Problem> problems) {
    if (spec == null) {
      return Optional.empty();
    }
    String bundle = "";
    String source = "";
    if (spec.ca() != null) {
      CaBundleRef ca = spec.ca();
      Optional<String> pem = ca.configMapRef() != null
          ? configMapValue(ref, "spec.tls.ca.configMapRef", ca.configMapRef(), problems)
          : secretValue(ref, "spec.tls.ca.secretRef", ca.secretRef().name(), ca.secretRef().key(), problems).map(SecretValue::reveal);
      PemKeyRef keyRef = ca.configMapRef() != null ? ca.configMapRef() : ca.secretRef();
      source = (ca.configMapRef() != null ? "ConfigMap" : "Secret") + " \"" + keyRef.name() + "\" key \"" + keyRef.key() + "\"";
      if (pem.isEmpty()) {
        return Optional.empty();
      }
      try {
        PemMaterial.certificates(pem.get());
      } catch (PemMaterial.Invalid e) {
        problems.add(new Problem(ref, "spec.tls.ca", Reasons.INVALID_TLS, source + " " + e.getMessage()));
        return Optional.empty();
      }
      bundle = pem.get();
    }
    String chain = "";
    SecretValue key = SecretValue.empty();
    if (spec.clientCertificate() != null) {
      String name = spec.clientCertificate().secretRef().name();
      String field = "spec.tls.clientCertificate.secretRef";
      Optional<SecretValue> crt = secretValue(ref, field, name, TLS_CRT, problems);
      Optional<SecretValue> pemKey = crt.isEmpty() ? Optional.empty() : secretValue(ref, field, name, TLS_KEY, problems);
      if (crt.isEmpty() || pemKey.isEmpty()) {
        return Optional.empty();
      }
      String what = "Secret \"" + name + "\"";
      try {
        List<X509Certificate> certificates = PemMaterial.certificates(crt.get().reveal());
        PrivateKey privateKey;
        try {
          privateKey = PemMaterial.privateKey(pemKey.get().reveal());
        } catch (PemMaterial.Invalid e) {
          problems.add(new Problem(ref, "spec.tls.clientCertificate", Reasons.INVALID_TLS, what + " key \"tls.key\" " + e.getMessage()));
          return Optional.empty();
        }
        if (!PemMaterial.matches(privateKey, certificates.get(0))) {
          problems.add(new Problem(ref, "spec.tls.clientCertificate", Reasons.INVALID_TLS, what
              + ": tls.key is not the private key of the first certificate in tls.crt (" + certificates.get(0).getSubjectX500Principal().getName() + ")"));
          return Optional.empty();
        }
      } catch (PemMaterial.Invalid e) {
        problems.add(new Problem(ref, "spec.tls.clientCertificate", Reasons.INVALID_TLS, what + " key \"tls.crt\" " + e.getMessage()));
        return Optional.empty();
      }
      chain = crt.get().reveal();
      key = pemKey.get();
    }
    return Optional.of(new BackendTls(bundle, source, spec.caModeOrDefault() == CaMode.REPLACE, chain, key,
        Optional.ofNullable(spec.serverName())));
  }

  Optional<BackendEgress> egress(ResourceRef ref, EgressProxySpec spec, List<Problem> problems) {
    if (spec == null) {
      return Optional.empty();
    }
    if (spec.directOrFalse()) {
      return Optional.of(BackendEgress.directly());
    }
    String user = "";
    SecretValue password = SecretValue.empty();
    if (spec.credentials() != null) {
      String name = spec.credentials().secretRef().name();
      Optional<SecretValue> u = secretValue(ref, "spec.proxy.credentials.secretRef", name, "username", problems);
      Optional<SecretValue> p = u.isEmpty() ? Optional.empty() : secretValue(ref, "spec.proxy.credentials.secretRef", name, "password", problems);
      if (u.isEmpty() || p.isEmpty()) {
        return Optional.empty();
      }
      user = u.get().reveal().strip();
      password = SecretValue.of(p.get().reveal().strip());
    }
    String url = spec.url().endsWith("/") ? spec.url().substring(0, spec.url().length() - 1) : spec.url();
    return Optional.of(new BackendEgress(false, url, user, password));
  }

  private Optional<SecretValue> secretValue(ResourceRef ref, String field, String name, String key, List<Problem> problems) {
    Optional<Map<String, SecretValue>> secret = lookup.find(ref.namespace(), name);
    if (secret.isEmpty()) {
      problems.add(new Problem(ref, field + ".name", Reasons.SECRET_NOT_FOUND,
          "Secret \"" + name + "\" not found in namespace \"" + ref.namespace() + "\""));
      return Optional.empty();
    }
    SecretValue value = secret.get().get(key);
    if (value == null || value.isEmpty()) {
      problems.add(new Problem(ref, field, Reasons.SECRET_KEY_NOT_FOUND, "Secret \"" + name + "\" has no key \"" + key
          + "\" (its keys: " + String.join(", ", new TreeSet<>(secret.get().keySet())) + ")"));
      return Optional.empty();
    }
    return Optional.of(value);
  }

  private Optional<String> configMapValue(ResourceRef ref, String field, PemKeyRef keyRef, List<Problem> problems) {
    Optional<Map<String, String>> map = lookup.configMap(ref.namespace(), keyRef.name());
    if (map.isEmpty()) {
      problems.add(new Problem(ref, field + ".name", Reasons.CONFIG_MAP_NOT_FOUND,
          "ConfigMap \"" + keyRef.name() + "\" not found in namespace \"" + ref.namespace() + "\""));
      return Optional.empty();
    }
    String value = map.get().get(keyRef.key());
    if (value == null || value.isBlank()) {
      problems.add(new Problem(ref, field + ".key", Reasons.CONFIG_MAP_KEY_NOT_FOUND, "ConfigMap \"" + keyRef.name()
          + "\" has no key \"" + keyRef.key() + "\" (its keys: " + String.join(", ", new TreeSet<>(map.get().keySet())) + ")"));
      return Optional.empty();
    }
    return Optional.of(value);
  }
}
