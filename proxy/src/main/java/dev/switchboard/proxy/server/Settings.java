package dev.switchboard.proxy.server;

import dev.switchboard.config.ClientKeys;
import dev.switchboard.config.SecretValue;
import dev.switchboard.proxy.memory.MemoryBudget;
import dev.switchboard.proxy.upstream.UpstreamLimits;
import java.util.List;
import java.util.Optional;

/**
 * What the handlers need from the command line and environment.
 *
 * @param localKeyHashes hashes of client API keys given to this process (local mode's --api-key)
 * @param adminToken the bearer token for /admin, when configured
 * @param localMode whether configs come from manifest files (then pushes are refused)
 * @param memoryBudgetBytes the in-flight byte budget of the whole process (0: a share of the heap)
 * @param upstream what an upstream may make the proxy hold or wait for
 */
public record Settings(long maxBodyBytes, List<String> localKeyHashes, Optional<SecretValue> adminToken, boolean localMode,
    long memoryBudgetBytes, UpstreamLimits upstream) {
  public static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;

  public Settings {
    localKeyHashes = List.copyOf(localKeyHashes);
  }

  public static Settings defaults() {
    return new Settings(DEFAULT_MAX_BODY, List.of(), Optional.empty(), false, 0, UpstreamLimits.DEFAULTS);
  }

  /** The budget these settings ask for: the configured size, or a share of the heap. */
  public MemoryBudget newMemoryBudget() {
    return memoryBudgetBytes > 0 ? new MemoryBudget(memoryBudgetBytes) : MemoryBudget.ofHeap();
  }

  public Settings withClientKeys(List<String> keys) {
    return new Settings(maxBodyBytes, keys.stream().map(ClientKeys::hash).toList(), adminToken, localMode, memoryBudgetBytes,
        upstream);
  }

  public Settings withAdminToken(String token) {
    return new Settings(maxBodyBytes, localKeyHashes, Optional.of(SecretValue.of(token)), localMode, memoryBudgetBytes, upstream);
  }

  public Settings withMaxBodyBytes(long bytes) {
    return new Settings(bytes, localKeyHashes, adminToken, localMode, memoryBudgetBytes, upstream);
  }

  public Settings inLocalMode() {
    return new Settings(maxBodyBytes, localKeyHashes, adminToken, true, memoryBudgetBytes, upstream);
  }

  public Settings withMemoryBudgetBytes(long bytes) {
    return new Settings(maxBodyBytes, localKeyHashes, adminToken, localMode, bytes, upstream);
  }

  public Settings withUpstreamLimits(UpstreamLimits limits) {
    return new Settings(maxBodyBytes, localKeyHashes, adminToken, localMode, memoryBudgetBytes, limits);
  }
}
