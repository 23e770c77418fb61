package dev.switchboard.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret string (an API key). It serializes to its value, because the config must carry keys
 * to the proxies, but it never prints: {@link #toString()} is masked, so a record holding one can
 * be logged without leaking it.
 */
public final class SecretValue {
  private static final SecretValue EMPTY = new SecretValue("");
  private final String value;

  private SecretValue(String value) {
    this.value = Objects.requireNonNull(value);
  }

  @JsonCreator
  public static SecretValue of(String value) {
    return value == null || value.isEmpty() ? EMPTY : new SecretValue(value);
  }

  public static SecretValue empty() {
    return EMPTY;
  }

  /** The secret itself: only for building the request that needs it. */
  @JsonValue
  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  /** Compares in time independent of where the values differ. */
  public boolean matches(String candidate) {
    return MessageDigest.isEqual(value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        candidate.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretValue other && MessageDigest.isEqual(
        value.getBytes(java.nio.charset.StandardCharsets.UTF_8), other.value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value.isEmpty() ? "<none>" : "<secret>";
  }
}
