package dev.switchboard.proxy.state;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Stored responses in Redis, shared by every replica: one hash per response
 * ({@code switchboard:response:<id>} with its owner, the Response, the conversation and the input
 * items), expiring after the retention. Redis's own memory limits bound the total; one response
 * larger than the cap is not kept. When Redis cannot be reached, lookups fail as
 * {@link ResponseStore.Unavailable} rather than answering "not found".
 */
public final class RedisResponseStore implements ResponseStore, AutoCloseable {
  static final String PREFIX = "switchboard:response:";
  /** A stored conversation is on the request path too: slower than this, it is unavailable. */
  static final Duration TIMEOUT = Duration.ofSeconds(1);

  private final RedisClient redis;
  private final long ttlSeconds;
  private final long maxChars;
  private final String where;

  public RedisResponseStore(URI uri, Duration ttl, long maxChars) {
    RedisEndpoint endpoint = new RedisEndpoint(uri);
    this.redis = endpoint.connect(TIMEOUT);
    this.ttlSeconds = Math.max(1, ttl.toSeconds());
    this.maxChars = maxChars;
    this.where = endpoint.where();
  }

  @Override
  public void put(Stored stored) {
    if (stored.weight() > maxChars) {
      return;
    }
    String key = PREFIX + stored.id();
    try {
      redis.hset(key, Map.of("owner", stored.owner(), "response", stored.response(), "history", stored.history(),
          "items", stored.inputItems(), "native-backend", stored.nativeBackend(), "native-id", stored.nativeId()));
      redis.expire(key, ttlSeconds);
    } catch (JedisException e) {
      throw new Unavailable("the response store at " + where + " cannot be reached (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  @Override
  public Optional<Stored> get(String owner, String id) {
    Map<String, String> h;
    try {
      h = redis.hgetAll(PREFIX + id);
    } catch (JedisException e) {
      throw new Unavailable("the response store at " + where + " cannot be reached (" + e.getClass().getSimpleName() + ")", e);
    }
    if (h == null || h.isEmpty() || !owner.equals(h.get("owner"))) {
      return Optional.empty();
    }
    return Optional.of(new Stored(id, owner, h.getOrDefault("response", "{}"), h.getOrDefault("history", "[]"),
        h.getOrDefault("items", "[]"), h.getOrDefault("native-backend", ""), h.getOrDefault("native-id", "")));
  }

  @Override
  public boolean delete(String owner, String id) {
    if (get(owner, id).isEmpty()) {
      return false;
    }
    try {
      return redis.del(PREFIX + id) > 0;
    } catch (JedisException e) {
      throw new Unavailable("the response store at " + where + " cannot be reached (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  @Override
  public String describe() {
    return "redis at " + where + " (kept " + dev.switchboard.config.Durations.format(Duration.ofSeconds(ttlSeconds)) + ")";
  }

  @Override
  public void close() {
    redis.close();
  }
}
