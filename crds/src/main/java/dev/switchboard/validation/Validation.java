package dev.switchboard.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The outcome of validating one resource.
 *
 * @param object a copy of the resource with schema defaults applied, as the API server would store it
 * @param violations every problem found, in document order; empty when the resource is valid
 */
public record Validation(JsonNode object, List<Violation> violations) {
  public Validation {
    violations = List.copyOf(violations);
  }

  public boolean valid() {
    return violations.isEmpty();
  }
}
