package dev.switchboard.proxy.quota;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import dev.switchboard.proxy.state.RedisEndpoint;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The counters in a Redis every proxy shares, so limits are exact for the fleet. Each operation is
 * one Lua script, atomic on the server and timed by the server's clock (proxies' clocks may
 * differ). Timeouts are tight: a slow Redis must never hold a request, so past them the caller
 * applies the configured choice (open or closed).
 */
public final class RedisQuotaStore implements QuotaStore, AutoCloseable {
  static final String PREFIX = "switchboard:quota:";
  /** {@link Gcra#take}, on the server: KEYS[1] the cell; ARGV limit, cost. Returns {allowed, retry-after micros}. */
  private static final String TAKE = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local limit = tonumber(ARGV[1])
      local cost = math.min(tonumber(ARGV[2]), limit)
      local interval = 60000000 / limit
      local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
      if tat < now then tat = now end
      local nxt = tat + math.ceil(cost * interval)
      local allowAt = nxt - 60000000
      if allowAt > now then return {0, allowAt - now} end
      redis.call('SET', KEYS[1], string.format('%d', nxt), 'PX', math.floor((nxt - now) / 1000) + 1000)
      return {1, 0}
      """;
  /** {@link Gcra#adjust}: KEYS[1] the cell; ARGV limit, units (negative gives back). */
  private static final String ADJUST = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local tat = redis.call('GET', KEYS[1])
      if not tat then return 0 end
      tat = tonumber(tat)
      local moved = tat + math.ceil(tonumber(ARGV[2]) * 60000000 / tonumber(ARGV[1]))
      local floor = math.min(tat, now)
      if moved < floor then moved = floor end
      if moved <= now then redis.call('DEL', KEYS[1]) return 1 end
      redis.call('SET', KEYS[1], string.format('%d', moved), 'PX', math.floor((moved - now) / 1000) + 1000)
      return 1
      """;
  /** Places in flight: KEYS[1] a sorted set of holders by deadline; ARGV max, lease millis, holder. */
  private static final String ENTER = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
      if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
      redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
      redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
      return 1
      """;

  private final RedisClient redis;
  private final String where;

  public RedisQuotaStore(URI uri, Duration timeout) {
    RedisEndpoint endpoint = new RedisEndpoint(uri);
    this.redis = endpoint.connect(timeout);
    this.where = endpoint.where();
  }

  private Unavailable unavailable(JedisException e) {
    return new Unavailable("the quota store at " + where + " cannot be reached (" + e.getClass().getSimpleName() + ")", e);
  }

  @Override
  public Gcra.Decision take(String key, long limit, long cost) {
    try {
      List<?> r = (List<?>) redis.eval(TAKE, List.of(PREFIX + key), List.of(Long.toString(limit), Long.toString(cost)));
      boolean allowed = ((Long) r.get(0)) == 1;
      return new Gcra.Decision(allowed, 0, allowed ? 0 : (Long) r.get(1));
    } catch (JedisException e) {
      throw unavailable(e);
    }
  }

  @Override
  public void adjust(String key, long limit, long units) {
    try {
      redis.eval(ADJUST, List.of(PREFIX + key), List.of(Long.toString(limit), Long.toString(units)));
    } catch (JedisException e) {
      throw unavailable(e);
    }
  }

  @Override
  public boolean enter(String key, int max, String holder, Duration lease) {
    try {
      return ((Long) redis.eval(ENTER, List.of(PREFIX + key), List.of(Integer.toString(max), Long.toString(lease.toMillis()), holder))) == 1;
    } catch (JedisException e) {
      throw unavailable(e);
    }
  }

  @Override
  public void leave(String key, String holder) {
    try {
      redis.zrem(PREFIX + key, holder);
    } catch (JedisException e) {
      throw unavailable(e);
    }
  }

  private static String usageKey(String client, Instant periodStart) {
    return PREFIX + "usage:" + client + ":" + periodStart.getEpochSecond();
  }

  @Override
  public void spend(String client, Instant periodStart, Spent spent, Instant keepUntil) {
    String key = usageKey(client, periodStart);
    try (var tx = redis.multi()) {
      tx.hincrBy(key, "requests", spent.requests());
      tx.hincrBy(key, "prompt", spent.promptTokens());
      tx.hincrBy(key, "completion", spent.completionTokens());
      tx.hincrByFloat(key, "cost", spent.costUsd());
      tx.hset(key, "lastUsed", Long.toString(spent.lastUsedMillis()));
      tx.expireAt(key, keepUntil.getEpochSecond());
      tx.exec();
    } catch (JedisException e) {
      throw unavailable(e);
    }
  }

  @Override
  public Spent spent(String client, Instant periodStart) {
    Map<String, String> h;
    try {
      h = redis.hgetAll(usageKey(client, periodStart));
    } catch (JedisException e) {
      throw unavailable(e);
    }
    if (h == null || h.isEmpty()) {
      return Spent.NONE;
    }
    return new Spent(Long.parseLong(h.getOrDefault("requests", "0")), Long.parseLong(h.getOrDefault("prompt", "0")),
        Long.parseLong(h.getOrDefault("completion", "0")), Double.parseDouble(h.getOrDefault("cost", "0")),
        Long.parseLong(h.getOrDefault("lastUsed", "0")));
  }

  @Override
  public String describe() {
    return "Redis at " + where + " (limits are exact for the whole fleet)";
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public void close() {
    redis.close();
  }
}
