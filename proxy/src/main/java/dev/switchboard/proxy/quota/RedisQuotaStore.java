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

  /**
   * {@link QuotaStore#admit} in one round trip, all or nothing: KEYS usage, rpm, tpm, inflight;
   * ARGV budget (below 0 none), rpm, tpm, tokens, max in flight, lease millis, holder. Returns
   * {verdict (0 admitted, 1 budget, 2 rpm, 3 tpm, 4 in flight), retry-after micros, spend}.
   */
  private static final String ADMIT = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local budget = tonumber(ARGV[1])
      if budget >= 0 then
        local cost = tonumber(redis.call('HGET', KEYS[1], 'cost') or '0')
        if cost >= budget then return {1, 0, tostring(cost)} end
      end
      local function gcra(key, limit, units)
        local tat = tonumber(redis.call('GET', key) or '0')
        if tat < now then tat = now end
        local nxt = tat + math.ceil(math.min(units, limit) * 60000000 / limit)
        local allowAt = nxt - 60000000
        if allowAt > now then return nil, allowAt - now end
        return nxt, 0
      end
      local rpm, tpm = tonumber(ARGV[2]), tonumber(ARGV[3])
      local rpmNext, tpmNext, wait
      if rpm > 0 then
        rpmNext, wait = gcra(KEYS[2], rpm, 1)
        if not rpmNext then return {2, wait, '0'} end
      end
      if tpm > 0 then
        tpmNext, wait = gcra(KEYS[3], tpm, tonumber(ARGV[4]))
        if not tpmNext then return {3, wait, '0'} end
      end
      local max = tonumber(ARGV[5])
      if max > 0 then
        local ms = math.floor(now / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', ms)
        if redis.call('ZCARD', KEYS[4]) >= max then return {4, 0, '0'} end
        redis.call('ZADD', KEYS[4], ms + tonumber(ARGV[6]), ARGV[7])
        redis.call('PEXPIRE', KEYS[4], tonumber(ARGV[6]))
      end
      if rpmNext then redis.call('SET', KEYS[2], string.format('%d', rpmNext), 'PX', math.floor((rpmNext - now) / 1000) + 1000) end
      if tpmNext then redis.call('SET', KEYS[3], string.format('%d', tpmNext), 'PX', math.floor((tpmNext - now) / 1000) + 1000) end
      return {0, 0, '0'}
      """;
  /**
   * {@link QuotaStore#settle} in one round trip: KEYS inflight, tpm, usage; ARGV holder ("" none),
   * tpm limit (0 none), token difference, requests (0: no usage to add, as for a backend's limits), prompt,
   * completion, cost, last used, expire-at seconds.
   */
  private static final String SETTLE = """
      if ARGV[1] ~= '' then redis.call('ZREM', KEYS[1], ARGV[1]) end
      local limit, units = tonumber(ARGV[2]), tonumber(ARGV[3])
      if limit > 0 and units ~= 0 then
        local tat = redis.call('GET', KEYS[2])
        if tat then
          local t = redis.call('TIME')
          local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
          tat = tonumber(tat)
          local moved = tat + math.ceil(units * 60000000 / limit)
          local floor = math.min(tat, now)
          if moved < floor then moved = floor end
          if moved <= now then redis.call('DEL', KEYS[2])
          else redis.call('SET', KEYS[2], string.format('%d', moved), 'PX', math.floor((moved - now) / 1000) + 1000) end
        end
      end
      if tonumber(ARGV[4]) > 0 then
        redis.call('HINCRBY', KEYS[3], 'requests', ARGV[4])
        redis.call('HINCRBY', KEYS[3], 'prompt', ARGV[5])
        redis.call('HINCRBY', KEYS[3], 'completion', ARGV[6])
        redis.call('HINCRBYFLOAT', KEYS[3], 'cost', ARGV[7])
        redis.call('HSET', KEYS[3], 'lastUsed', ARGV[8])
        redis.call('EXPIREAT', KEYS[3], ARGV[9])
      end
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
  public Outcome admit(Admit a) {
    List<?> r;
    try {
      r = (List<?>) redis.eval(ADMIT, List.of(usageKey(a.client(), a.periodStart()), PREFIX + a.client() + ":rpm",
          PREFIX + a.client() + ":tpm", PREFIX + a.client() + ":inflight"), List.of(Double.toString(a.budgetUsd()),
          Long.toString(a.rpm()), Long.toString(a.tpm()), Long.toString(a.tokens()), Integer.toString(a.maxConcurrent()),
          Long.toString(a.lease().toMillis()), a.holder()));
    } catch (JedisException e) {
      throw unavailable(e);
    }
    Verdict verdict = Verdict.values()[((Long) r.get(0)).intValue()];
    return verdict == Verdict.ADMITTED ? Outcome.ADMITTED
        : new Outcome(verdict, (Long) r.get(1), Double.parseDouble(String.valueOf(r.get(2))));
  }

  @Override
  public void settle(Settle s) {
    Spent spent = s.spent();
    try {
      redis.eval(SETTLE, List.of(PREFIX + s.client() + ":inflight", PREFIX + s.client() + ":tpm", usageKey(s.client(), s.periodStart())),
          List.of(s.holder(), Long.toString(s.tpm()), Long.toString(s.tokenDelta()), Long.toString(spent.requests()),
              Long.toString(spent.promptTokens()), Long.toString(spent.completionTokens()), Double.toString(spent.costUsd()),
              Long.toString(spent.lastUsedMillis()), Long.toString(s.keepUntil().getEpochSecond())));
    } catch (JedisException e) {
      throw unavailable(e);
    }
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
