package dev.switchboard.compiler;

import dev.switchboard.config.SecretValue;
import java.util.Map;
import java.util.Optional;

/**
 * Finds what resources reference by name: a Secret's decoded data and, for TLS CA bundles, a
 * ConfigMap's data. Only referenced ones are ever asked for.
 */
@FunctionalInterface
public interface SecretLookup {
  Optional<Map<String, SecretValue>> find(String namespace, String name);

  /** A ConfigMap's {@code data} (and {@code binaryData} decoded as UTF-8), by namespace and name. */
  default Optional<Map<String, String>> configMap(String namespace, String name) {
    return Optional.empty();
  }

  static SecretLookup none() {
    return (namespace, name) -> Optional.empty();
  }

  /** Lookups over Secrets and ConfigMaps keyed by {@code namespace/name}. */
  static SecretLookup of(Map<String, Map<String, SecretValue>> secretsById, Map<String, Map<String, String>> configMapsById) {
    Map<String, Map<String, SecretValue>> secrets = Map.copyOf(secretsById);
    Map<String, Map<String, String>> configMaps = Map.copyOf(configMapsById);
    return new SecretLookup() {
      @Override
      public Optional<Map<String, SecretValue>> find(String namespace, String name) {
        return Optional.ofNullable(secrets.get(namespace + "/" + name));
      }

      @Override
      public Optional<Map<String, String>> configMap(String namespace, String name) {
        return Optional.ofNullable(configMaps.get(namespace + "/" + name));
      }
    };
  }

  /** A lookup over secrets keyed by {@code namespace/name}. */
  static SecretLookup of(Map<String, Map<String, SecretValue>> secretsById) {
    Map<String, Map<String, SecretValue>> copy = Map.copyOf(secretsById);
    return (namespace, name) -> Optional.ofNullable(copy.get(namespace + "/" + name));
  }
}
