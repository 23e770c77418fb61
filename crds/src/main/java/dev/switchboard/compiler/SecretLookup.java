package dev.switchboard.compiler;

import dev.switchboard.config.SecretValue;
import java.util.Map;
import java.util.Optional;

/** Finds a Secret's decoded data by namespace and name. */
@FunctionalInterface
public interface SecretLookup {
  Optional<Map<String, SecretValue>> find(String namespace, String name);

  static SecretLookup none() {
    return (namespace, name) -> Optional.empty();
  }

  /** A lookup over secrets keyed by {@code namespace/name}. */
  static SecretLookup of(Map<String, Map<String, SecretValue>> secretsById) {
    Map<String, Map<String, SecretValue>> copy = Map.copyOf(secretsById);
    return (namespace, name) -> Optional.ofNullable(copy.get(namespace + "/" + name));
  }
}
