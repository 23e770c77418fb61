package dev.switchboard.manifest;

/**
 * One problem in a manifest file.
 *
 * @param source the file, as given to the reader
 * @param document the 1-based position of the YAML document in the file; 0 for the whole file
 * @param resource {@code Kind namespace/name} when known, else empty
 * @param field the offending field path, or empty
 */
public record ManifestProblem(String source, int document, String resource, String field, String message) {
  /** The field and message, without the location. */
  public String detail() {
    return field.isEmpty() ? message : field + ": " + message;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(source);
    if (document > 0) {
      out.append(" document ").append(document);
    }
    if (!resource.isEmpty()) {
      out.append(" (").append(resource).append(')');
    }
    out.append(": ");
    if (!field.isEmpty()) {
      out.append(field).append(": ");
    }
    return out.append(message).toString();
  }
}
