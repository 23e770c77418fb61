package dev.switchboard.manifest;

/** Where a resource was read from. */
public record Origin(String source, int document) {
  @Override
  public String toString() {
    return source + " document " + document;
  }
}
