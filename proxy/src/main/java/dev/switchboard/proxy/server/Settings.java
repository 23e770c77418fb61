package dev.switchboard.proxy.server;

import dev.switchboard.config.ClientKeys;
import dev.switchboard.config.SecretValue;
import java.util.List;
import java.util.Optional;

/**
 * What the handlers need from the command line and environment.
 *
 * @param localKeyHashes hashes of client API keys given to this process (local mode's --api-key)
 * @param adminToken the bearer token for /admin, when configured
 * @param localMode whether configs come from manifest files (then pushes are refused)
 */
public record Settings(long maxBodyBytes, List<String> localKeyHashes, Optional<SecretValue> adminToken, boolean localMode) {
  public static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;

  public Settings {
    localKeyHashes = List.copyOf(localKeyHashes);
  }

  public static Settings defaults() {
    return new Settings(DEFAULT_MAX_BODY, List.of(), Optional.empty(), false);
  }

  public Settings withClientKeys(List<String> keys) {
    return new Settings(maxBodyBytes, keys.stream().map(ClientKeys::hash).toList(), adminToken, localMode);
  }

  public Settings withAdminToken(String token) {
    return new Settings(maxBodyBytes, localKeyHashes, Optional.of(SecretValue.of(token)), localMode);
  }

  public Settings withMaxBodyBytes(long bytes) {
    return new Settings(bytes, localKeyHashes, adminToken, localMode);
  }

  public Settings inLocalMode() {
    return new Settings(maxBodyBytes, localKeyHashes, adminToken, true);
  }
}
