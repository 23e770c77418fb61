package dev.switchboard.validation;

/** One reason a resource is invalid: the field path (for example {@code spec.models[0].name}) and a human message. */
public record Violation(String field, String message) {
  @Override
  public String toString() {
    return field.isEmpty() ? message : field + ": " + message;
  }
}
