package dev.switchboard.compiler;

/** The reasons that appear in problems and status conditions. */
public final class Reasons {
  private Reasons() {}

  public static final String ACCEPTED = "Accepted";
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String DUPLICATE = "Duplicate";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String SECRET_KEY_NOT_FOUND = "SecretKeyNotFound";
  public static final String CONFIG_MAP_NOT_FOUND = "ConfigMapNotFound";
  public static final String CONFIG_MAP_KEY_NOT_FOUND = "ConfigMapKeyNotFound";
  /** A CA bundle or client certificate that cannot be used (no PEM, a key that does not match). */
  public static final String INVALID_TLS = "InvalidTLS";
  public static final String CONFLICT = "Conflict";
  public static final String RESOLVED_REFS = "ResolvedRefs";
  public static final String BACKEND_NOT_FOUND = "BackendNotFound";
  public static final String BACKEND_NOT_ACCEPTED = "BackendNotAccepted";
  public static final String MODEL_NOT_FOUND = "ModelNotFound";
  public static final String MODEL_TYPE_MISMATCH = "ModelTypeMismatch";
  public static final String NO_USABLE_TARGETS = "NoUsableTargets";
}
