package dev.switchboard.proxy.server;

import dev.switchboard.config.ClientKeys;
import dev.switchboard.config.SecretValue;
import dev.switchboard.proxy.exchange.ContinuityStore;
import dev.switchboard.proxy.memory.MemoryBudget;
import dev.switchboard.proxy.state.ResponseStoreConfig;
import dev.switchboard.proxy.upstream.UpstreamLimits;
import java.time.Duration;
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
 * @param maxConnections open client connections on the public port (0: from the heap, see {@link #connectionLimit()})
 * @param bodyTimeout the longest a client may take to send a request body
 * @param continuity how much reasoning continuity is remembered by tool-call id, and for how long
 * @param streamPing how long a translated Anthropic stream may be silent before it gets a {@code ping} event
 * @param responseStore what the Responses surface keeps of stored responses, and for how long
 * @param onQuotaStoreError what a request gets when the shared Redis of client limits fails: served (open) or 503 (closed)
 * @param requireClientKey whether /v1 refuses requests without a known key even when no key exists ({@code --require-client-key})
 * @param corsOrigins the browser origins that may call /v1 ({@code --cors-origin}; {@code *} for any)
 */
public record Settings(long maxBodyBytes, List<String> localKeyHashes, Optional<SecretValue> adminToken, boolean localMode,
    long memoryBudgetBytes, UpstreamLimits upstream, int maxConnections, Duration bodyTimeout, ContinuityStore.Bounds continuity,
    Duration streamPing, ResponseStoreConfig responseStore, boolean requireClientKey,
    dev.switchboard.proxy.quota.ClientQuotas.OnStoreError onQuotaStoreError, List<String> corsOrigins) {
  public static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;
  public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(60);
  /** Anthropic's own streams ping about this often; clients and proxies in between expect no longer silence. */
  public static final Duration DEFAULT_STREAM_PING = Duration.ofSeconds(10);
  /**
   * What one open connection costs the heap, measured with a request head read and its body
   * awaited (Helidon's buffers and the parked virtual thread's stack): about 29 KiB.
   */
  public static final long CONNECTION_BYTES = 32 * 1024;
  /** The share of the heap open connections may take when --max-connections is not given. */
  public static final double CONNECTION_HEAP_SHARE = 0.25;

  public Settings {
    localKeyHashes = List.copyOf(localKeyHashes);
    corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
  }

  /** Browser origins allowed to call /v1 ({@code --cors-origin}); none by default. */
  public Settings withCorsOrigins(List<String> origins) {
    return new Settings(maxBodyBytes, localKeyHashes, adminToken, localMode, memoryBudgetBytes, upstream, maxConnections, bodyTimeout,
        continuity, streamPing, responseStore, requireClientKey, onQuotaStoreError, origins);
  }

  public static Settings defaults() {
    return new Settings(DEFAULT_MAX_BODY, List.of(), Optional.empty(), false, 0, UpstreamLimits.DEFAULTS, 0, DEFAULT_BODY_TIMEOUT,
        ContinuityStore.Bounds.DEFAULTS, DEFAULT_STREAM_PING, ResponseStoreConfig.DEFAULTS, false, dev.switchboard.proxy.quota.ClientQuotas.OnStoreError.OPEN, List.of());
  }

  /** Open connections the public port accepts: the configured number, or what a quarter of the heap holds. */
  public int connectionLimit() {
    if (maxConnections > 0) {
      return maxConnections;
    }
    return (int) Math.max(256, Math.min(100_000, Runtime.getRuntime().maxMemory() * CONNECTION_HEAP_SHARE / CONNECTION_BYTES));
  }

  /** The budget these settings ask for: the configured size, or a share of the heap. */
  public MemoryBudget newMemoryBudget() {
    return memoryBudgetBytes > 0 ? new MemoryBudget(memoryBudgetBytes) : MemoryBudget.ofHeap();
  }

  public Settings onQuotaStoreError(dev.switchboard.proxy.quota.ClientQuotas.OnStoreError choice) {
    return new Settings(maxBodyBytes, localKeyHashes, adminToken, localMode, memoryBudgetBytes, upstream, maxConnections, bodyTimeout,
        continuity, streamPing, responseStore, requireClientKey, choice, corsOrigins);
  }

  /** The limits' store: the shared Redis when there is one, else this process. */
  public dev.switchboard.proxy.quota.ClientQuotas newClientQuotas() {
    dev.switchboard.proxy.quota.QuotaStore store = responseStore.redis()
        .<dev.switchboard.proxy.quota.QuotaStore>map(uri -> new dev.switchboard.proxy.quota.RedisQuotaStore(uri, QUOTA_STORE_TIMEOUT))
        .orElseGet(dev.switchboard.proxy.quota.LocalQuotaStore::new);
    return new dev.switchboard.proxy.quota.ClientQuotas(store, onQuotaStoreError);
  }

  /** How long a request may wait on the limits' Redis: past it, the configured choice applies. */
  public static final Duration QUOTA_STORE_TIMEOUT = Duration.ofMillis(250);

  public Settings requiringClientKeys(boolean require) {
    return new Settings(maxBodyBytes, localKeyHashes, adminToken, localMode, memoryBudgetBytes, upstream, maxConnections, bodyTimeout,
        continuity, streamPing, responseStore, require, onQuotaStoreError, corsOrigins);
  }

  public Settings withClientKeys(List<String> keys) {
    return new Settings(maxBodyBytes, keys.stream().map(ClientKeys::hash).toList(), adminToken, localMode, memoryBudgetBytes,
        upstream, maxConnections, bodyTimeout, continuity, streamPing, responseStore, requireClientKey, onQuotaStoreError, corsOrigins);
  }

  public Settings withAdminToken(String token) {
    return new Settings(maxBodyBytes, localKeyHashes, Optional.of(SecretValue.of(token)), localMode, memoryBudgetBytes, upstream,
        maxConnections, bodyTimeout, continuity, streamPing, responseStore, requireClientKey, onQuotaStoreError, corsOrigins);
  }

  public Settings withMaxBodyBytes(long bytes) {
    return new Settings(bytes, localKeyHashes, adminToken, localMode, memoryBudgetBytes, upstream, maxConnections, bodyTimeout, continuity, streamPing, responseStore, requireClientKey, onQuotaStoreError, corsOrigins);
  }

  public Settings inLocalMode() {
    return new Settings(maxBodyBytes, localKeyHashes, adminToken, true, memoryBudgetBytes, upstream, maxConnections, bodyTimeout, continuity, streamPing, responseStore, requireClientKey, onQuotaStoreError, corsOrigins);
  }

  public Settings withMemoryBudgetBytes(long bytes) {
    return new Settings(maxBodyBytes, localKeyHashes, adminToken, localMode, bytes, upstream, maxConnections, bodyTimeout, continuity, streamPing, responseStore, requireClientKey, onQuotaStoreError, corsOrigins);
  }

  public Settings withConnections(int max, Duration bodyTimeout) {
    return new Settings(maxBodyBytes, localKeyHashes, adminToken, localMode, memoryBudgetBytes, upstream, max, bodyTimeout, continuity, streamPing, responseStore, requireClientKey, onQuotaStoreError, corsOrigins);
  }

  public Settings withContinuity(ContinuityStore.Bounds bounds) {
    return new Settings(maxBodyBytes, localKeyHashes, adminToken, localMode, memoryBudgetBytes, upstream, maxConnections, bodyTimeout,
        bounds, streamPing, responseStore, requireClientKey, onQuotaStoreError, corsOrigins);
  }

  public ContinuityStore newContinuityStore() {
    return new ContinuityStore(continuity);
  }

  public Settings withUpstreamLimits(UpstreamLimits limits) {
    return new Settings(maxBodyBytes, localKeyHashes, adminToken, localMode, memoryBudgetBytes, limits, maxConnections, bodyTimeout, continuity, streamPing, responseStore, requireClientKey, onQuotaStoreError, corsOrigins);
  }

  public Settings withStreamPing(Duration every) {
    return new Settings(maxBodyBytes, localKeyHashes, adminToken, localMode, memoryBudgetBytes, upstream, maxConnections, bodyTimeout,
        continuity, every, responseStore, requireClientKey, onQuotaStoreError, corsOrigins);
  }

  public Settings withResponseStore(ResponseStoreConfig bounds) {
    return new Settings(maxBodyBytes, localKeyHashes, adminToken, localMode, memoryBudgetBytes, upstream, maxConnections, bodyTimeout,
        continuity, streamPing, bounds, requireClientKey, onQuotaStoreError, corsOrigins);
  }
}
