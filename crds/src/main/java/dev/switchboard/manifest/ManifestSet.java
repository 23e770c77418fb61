package dev.switchboard.manifest;

import dev.switchboard.api.v1alpha1.ChatBackend;
import dev.switchboard.api.v1alpha1.ClientKey;
import dev.switchboard.api.v1alpha1.ModelRoute;
import dev.switchboard.compiler.ResourceRef;
import dev.switchboard.compiler.SecretLookup;
import dev.switchboard.config.SecretValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a set of manifest files holds: the valid resources in file order, the Secrets, where each
 * came from, and the problems that kept documents out.
 *
 * @param secrets decoded Secret data keyed by {@code namespace/name}
 * @param configMaps ConfigMap data keyed by {@code namespace/name} (CA bundles)
 */
public record ManifestSet(
    List<ChatBackend> backends,
    List<ModelRoute> routes,
    List<ClientKey> clientKeys,
    Map<String, Map<String, SecretValue>> secrets,
    Map<String, Map<String, String>> configMaps,
    Map<ResourceRef, Origin> origins,
    List<ManifestProblem> problems) {
  public ManifestSet {
    backends = List.copyOf(backends);
    routes = List.copyOf(routes);
    clientKeys = List.copyOf(clientKeys);
    secrets = Map.copyOf(secrets);
    configMaps = Map.copyOf(configMaps);
    origins = Map.copyOf(origins);
    problems = List.copyOf(problems);
  }

  public SecretLookup secretLookup() {
    return SecretLookup.of(secrets, configMaps);
  }

  public Optional<Origin> origin(ResourceRef ref) {
    return Optional.ofNullable(origins.get(ref));
  }
}
