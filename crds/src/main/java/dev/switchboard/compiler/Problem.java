package dev.switchboard.compiler;

/**
 * Why (part of) a resource is not served.
 *
 * @param field the offending field path, for example {@code spec.targets[1].backendRef.name}; empty for the whole resource
 * @param reason a CamelCase word from {@link Reasons}
 * @param message a human explanation that never contains secret values
 */
public record Problem(ResourceRef resource, String field, String reason, String message) {
  /** The field and message, without the resource: what a status condition shows. */
  public String detail() {
    return field.isEmpty() ? message : field + ": " + message;
  }

  @Override
  public String toString() {
    return resource + ": " + detail();
  }
}
