package dev.switchboard.proxy.state;

import java.net.URI;
import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * The Redis (or Valkey) every replica shares, from {@code --redis URL}: {@code redis://} or
 * {@code rediss://} (TLS), credentials in the URL's user part, the database as its path. One pool
 * per store, with every wait bounded: jedis's default pool waits for a free connection forever,
 * which under load is a hung request, so a full pool fails after the same timeout as a slow reply.
 */
public record RedisEndpoint(URI uri) {
  static final int POOL_SIZE = 64;

  /** host:port with the scheme, for messages; never the credentials. */
  public String where() {
    return uri.getScheme() + "://" + uri.getHost() + ":" + port();
  }

  private int port() {
    return uri.getPort() < 0 ? 6379 : uri.getPort();
  }

  public RedisClient connect(Duration timeout) {
    int millis = (int) Math.max(1, timeout.toMillis());
    DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(millis).socketTimeoutMillis(millis).ssl("rediss".equals(uri.getScheme()));
    String info = uri.getUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      if (colon < 0) {
        config.password(info);
      } else {
        if (colon > 0) {
          config.user(info.substring(0, colon));
        }
        config.password(info.substring(colon + 1));
      }
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
    if (!path.isEmpty()) {
      config.database(Integer.parseInt(path));
    }
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(POOL_SIZE);
    pool.setMaxIdle(POOL_SIZE);
    pool.setMaxWait(Duration.ofMillis(millis));
    pool.setBlockWhenExhausted(true);
    return RedisClient.builder().hostAndPort(new HostAndPort(uri.getHost(), port()))
        .clientConfig(config.build()).poolConfig(pool).build();
  }
}
