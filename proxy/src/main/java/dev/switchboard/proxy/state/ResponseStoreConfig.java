package dev.switchboard.proxy.state;

import dev.switchboard.proxy.memory.MemoryBudget;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where stored responses live: nowhere, in this process's memory, or in a Redis that every
 * replica shares (so any of them continues any conversation).
 *
 * @param maxChars the most characters kept in memory (memory mode), and four times the largest response kept (either mode)
 * @param ttl how long a stored response is kept
 * @param redis the Redis to use ({@code redis://} or {@code rediss://}, with credentials), when one is configured
 */
public record ResponseStoreConfig(Mode mode, long maxChars, Duration ttl, Optional<URI> redis) {
  public enum Mode { NONE, MEMORY, REDIS }

  public static final ResponseStoreConfig DEFAULTS =
      new ResponseStoreConfig(Mode.MEMORY, MemoryResponseStore.DEFAULT_MAX_CHARS, MemoryResponseStore.DEFAULT_TTL, Optional.empty());

  public ResponseStoreConfig {
    if (mode == Mode.REDIS && redis.isEmpty()) {
      throw new IllegalArgumentException("the redis response store needs a Redis URL");
    }
  }

  public ResponseStore newStore(MemoryBudget budget) {
    return switch (mode) {
      case NONE -> ResponseStore.NONE;
      case MEMORY -> maxChars > 0 ? new MemoryResponseStore(maxChars, ttl, budget) : ResponseStore.NONE;
      case REDIS -> new RedisResponseStore(redis.orElseThrow(), ttl, maxChars / 4);
    };
  }
}
