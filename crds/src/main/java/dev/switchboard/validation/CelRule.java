package dev.switchboard.validation;

/**
 * One {@code x-kubernetes-validations} entry of a CRD.
 *
 * @param kind the resource kind the rule belongs to
 * @param schemaPath where the rule sits, with {@code [*]} for list items and map values, for example {@code spec.targets[*]}
 * @param rule the CEL expression; {@code self} is the value at {@code schemaPath}
 * @param message the fixed message shown when the rule fails
 * @param messageExpression a CEL expression computing the message, or empty
 * @param fieldPath a path relative to {@code schemaPath} that the failure is reported at, or empty
 */
public record CelRule(String kind, String schemaPath, String rule, String message, String messageExpression, String fieldPath) {
  public String id() {
    return kind + " " + schemaPath + " " + rule;
  }
}
