package dev.switchboard.api.v1alpha1;

/**
 * CEL rules and patterns shared by several fields. Annotation values must be compile-time
 * constants, so they live here rather than being built at run time.
 */
public final class SchemaRules {
  private SchemaRules() {}

  /** Go-style durations as Kubernetes uses them: {@code 500ms}, {@code 30s}, {@code 1m30s}, {@code 2h}. */
  public static final String DURATION_RULE = "self.matches('^([0-9]+(\\\\.[0-9]+)?(ms|s|m|h))+$')";
  public static final String DURATION_MESSAGE = "must be a duration such as 500ms, 30s, 1m30s or 2h";
  public static final String POSITIVE_DURATION_RULE = "!self.matches('^((0+(\\\\.0+)?)(ms|s|m|h))+$')";
  public static final String POSITIVE_DURATION_MESSAGE = "must be longer than zero";
  public static final int DURATION_MAX_LENGTH = 32;

  /** Names that clients send as {@code model}: printable, no spaces, no leading punctuation. */
  public static final String MODEL_NAME_RULE = "self.matches('^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$')";
  public static final String MODEL_NAME_MESSAGE =
      "must start with a letter or digit and contain only letters, digits and . _ : / @ + -";
  public static final int MODEL_NAME_MAX_LENGTH = 256;

  /** A Kubernetes object name (DNS-1123 subdomain). */
  public static final String OBJECT_NAME_RULE =
      "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')";
  public static final String OBJECT_NAME_MESSAGE =
      "must be a Kubernetes object name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit";
  public static final int OBJECT_NAME_MAX_LENGTH = 253;
}
