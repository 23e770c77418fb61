package dev.switchboard.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Client API keys as the config keeps them: {@code sha256:<hex>}, never the key itself. */
public final class ClientKeys {
  private ClientKeys() {}

  public static String hash(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.strip().getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Whether a presented key matches one of the hashes; compares digests in constant time. */
  public static boolean matches(String presented, Iterable<String> hashes) {
    byte[] candidate = hash(presented).getBytes(StandardCharsets.US_ASCII);
    boolean match = false;
    for (String h : hashes) {
      match |= MessageDigest.isEqual(candidate, h.getBytes(StandardCharsets.US_ASCII));
    }
    return match;
  }
}
