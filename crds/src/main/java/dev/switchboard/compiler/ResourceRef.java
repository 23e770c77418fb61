package dev.switchboard.compiler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/** Names one resource: kind, namespace and name. */
public record ResourceRef(String kind, String namespace, String name) implements Comparable<ResourceRef> {
  public static final String DEFAULT_NAMESPACE = "default";

  public static ResourceRef of(HasMetadata resource) {
    String namespace = resource.getMetadata() == null ? null : resource.getMetadata().getNamespace();
    String name = resource.getMetadata() == null ? null : resource.getMetadata().getName();
    return new ResourceRef(resource.getKind(), Objects.requireNonNullElse(namespace, DEFAULT_NAMESPACE),
        Objects.requireNonNullElse(name, ""));
  }

  /** {@code namespace/name}, the id used in the RoutingConfig. */
  public String id() {
    return namespace + "/" + name;
  }

  @Override
  public int compareTo(ResourceRef o) {
    int c = kind.compareTo(o.kind);
    return c != 0 ? c : id().compareTo(o.id());
  }

  @Override
  public String toString() {
    return kind + " " + id();
  }
}
