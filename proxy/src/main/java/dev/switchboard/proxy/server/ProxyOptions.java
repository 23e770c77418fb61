package dev.switchboard.proxy.server;

import dev.switchboard.config.Durations;
import dev.switchboard.proxy.exchange.ContinuityStore;
import dev.switchboard.proxy.state.MemoryResponseStore;
import dev.switchboard.proxy.state.ResponseStoreConfig;
import dev.switchboard.proxy.upstream.UpstreamLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line.
 *
 * @param manifests local mode: a manifest file or folder
 * @param snapshot cluster mode: a config file written by the operator, served until a push arrives
 * @param apiKeys client API keys this process accepts (in addition to the config's)
 * @param shutdownGrace how long a stopping proxy lets requests in flight (streams included) finish
 * @param memoryBudgetBytes the in-flight byte budget (0: {@link dev.switchboard.proxy.memory.MemoryBudget#DEFAULT_HEAP_SHARE} of the heap)
 * @param upstream the limits on what upstreams may send
 * @param maxConnections open client connections on the public port (0: from the heap)
 * @param bodyTimeout the longest a client may take to send a request body
 * @param continuity the bounds of the store of reasoning continuity kept by tool-call id
 * @param requireClientKey whether /v1 refuses requests without a known key, even when no key exists
 * @param onRedisError what a ClientKey's request gets when the shared Redis of limits fails
 */
public record ProxyOptions(String host, int port, int adminPort, Optional<Path> manifests, Optional<Path> snapshot,
    List<String> apiKeys, long maxBodyBytes, boolean accessLog, Duration shutdownGrace, long memoryBudgetBytes,
    UpstreamLimits upstream, int maxConnections, Duration bodyTimeout, ContinuityStore.Bounds continuity,
    ResponseStoreConfig responseStore, boolean requireClientKey, dev.switchboard.proxy.quota.ClientQuotas.OnStoreError onRedisError,
    List<String> corsOrigins, Optional<String> adminHost) {
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

  public static final String USAGE = """
      Usage: java -jar switchboard-proxy.jar [options]

      Local mode:   --manifests PATH   serve ChatBackend, ModelRoute and Secret manifests from a file
                                       or folder, reloading when they change
      Cluster mode: (no --manifests)   wait for configs pushed by the operator to PUT /admin/config
                    --snapshot FILE    start from a config the operator wrote earlier

      Options:
        --host HOST            interface the public API listens on (default: all)
        --admin-host HOST      interface the admin port (console, metrics, admin API) listens on
                               (default: --host; loopback when no admin token is configured)
        --cors-origin ORIGIN   a browser origin that may call /v1, e.g. https://app.example.com
                               (repeatable, or * for any; also SWITCHBOARD_CORS_ORIGINS=a,b;
                               default: none)
        --port N               public API port (default 8080)
        --admin-port N         health, metrics and admin API port (default 9090)
        --api-key KEY          require this client API key on /v1 (repeatable; also SWITCHBOARD_API_KEYS=k1,k2)
        --max-body-bytes N     largest request body accepted (default 10485760)
        --shutdown-grace DUR   on SIGTERM, stop accepting and let requests in flight finish for
                               up to this long, e.g. 30s (default 30s)
        --memory-budget-bytes N  most request and answer bytes held at once; beyond it new
                               requests get 503 with Retry-After (default 40% of the heap)
        --max-answer-bytes N   largest non-streamed upstream answer (default 16777216)
        --max-stream-bytes N   most bytes one upstream stream may send (default 536870912)
        --max-stream-duration DUR  longest one stream may run (default 1h)
        --max-connections N    open client connections on --port (default: what a quarter of
                               the heap holds at 32 KiB each, at least 256)
        --body-timeout DUR     longest a client may take to send a request body (default 60s)
        --continuity-store-chars N  reasoning continuity kept by tool-call id for clients that
                               echo only ids, in characters (default 8388608; 0 keeps none)
        --continuity-ttl DUR   how long one turn's continuity is kept (default 1h)
        --response-store MODE  where stored responses (/v1/responses with store: true) live:
                               memory (default), redis (default with --redis) or none
        --redis URL            a Redis every replica shares, e.g. redis://redis:6379 (also
                               SWITCHBOARD_REDIS_URL); holds stored responses
        --response-store-chars N  most characters of stored responses kept in memory
                               (default 33554432); the least recently used go first
        --response-ttl DUR     how long a stored response is kept (default 24h)
        --on-redis-error MODE  when the Redis holding client limits fails or is slow (250 ms):
                               open (default; served, counted, reported) or closed (503)
        --require-client-key   refuse /v1 requests without a known key (401), even while no
                               key exists; without it, /v1 is open until a key is configured
        --no-access-log        do not write a line per request to standard output
        --help                 show this text

      Environment:
        SWITCHBOARD_ADMIN_TOKEN  bearer token for /admin (required in cluster mode)
      """;

  /** A command line the proxy cannot run with; the message says why. */
  public static final class UsageException extends Exception {
    public UsageException(String message) {
      super(message);
    }
  }

  public static ProxyOptions parse(String[] args, Optional<String> envKeys) throws UsageException {
    String host = "0.0.0.0";
    int port = 8080;
    int adminPort = 9090;
    Path manifests = null;
    Path snapshot = null;
    List<String> keys = new ArrayList<>();
    long maxBody = Settings.DEFAULT_MAX_BODY;
    boolean accessLog = true;
    boolean requireKey = false;
    String adminHost = null;
    List<String> corsOrigins = new ArrayList<>();
    dev.switchboard.proxy.quota.ClientQuotas.OnStoreError onRedisError = dev.switchboard.proxy.quota.ClientQuotas.OnStoreError.OPEN;
    Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    long memoryBudget = 0;
    UpstreamLimits upstream = UpstreamLimits.DEFAULTS;
    int maxConnections = 0;
    Duration bodyTimeout = Settings.DEFAULT_BODY_TIMEOUT;
    long continuityChars = ContinuityStore.DEFAULT_MAX_CHARS;
    Duration continuityTtl = ContinuityStore.DEFAULT_TTL;
    String storeMode = "";
    java.net.URI redis = null;
    long responseChars = MemoryResponseStore.DEFAULT_MAX_CHARS;
    Duration responseTtl = MemoryResponseStore.DEFAULT_TTL;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      switch (arg) {
        case "--help", "-h" -> throw new UsageException("");
        case "--no-access-log" -> accessLog = false;
        case "--require-client-key" -> requireKey = true;
        case "--host", "--admin-host", "--cors-origin", "--port", "--admin-port", "--manifests", "--snapshot", "--api-key", "--max-body-bytes", "--shutdown-grace",
            "--memory-budget-bytes", "--max-answer-bytes", "--max-stream-bytes", "--max-stream-duration", "--max-connections",
            "--body-timeout", "--continuity-store-chars", "--continuity-ttl", "--response-store", "--response-store-chars",
            "--response-ttl", "--redis", "--on-redis-error" -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new UsageException(arg + " needs a value");
            }
            value = args[++i];
          }
          switch (arg) {
            case "--host" -> host = value;
            case "--admin-host" -> adminHost = nonBlank(arg, value);
            case "--cors-origin" -> corsOrigins.add(origin(value));
            case "--on-redis-error" -> onRedisError = switch (value) {
              case "open" -> dev.switchboard.proxy.quota.ClientQuotas.OnStoreError.OPEN;
              case "closed" -> dev.switchboard.proxy.quota.ClientQuotas.OnStoreError.CLOSED;
              default -> throw new UsageException("--on-redis-error must be open or closed, not '" + value + "'");
            };
            case "--port" -> port = port(arg, value);
            case "--admin-port" -> adminPort = port(arg, value);
            case "--manifests" -> manifests = Path.of(value);
            case "--snapshot" -> snapshot = Path.of(value);
            case "--api-key" -> keys.add(nonBlank(arg, value));
            case "--shutdown-grace" -> shutdownGrace = duration(arg, value);
            case "--memory-budget-bytes" -> memoryBudget = positive(arg, value);
            case "--max-answer-bytes" -> upstream = upstream.withMaxAnswerBytes(positive(arg, value));
            case "--max-stream-bytes" -> upstream = upstream.withMaxStreamBytes(positive(arg, value));
            case "--max-stream-duration" -> upstream = upstream.withMaxStreamDuration(duration(arg, value));
            case "--max-connections" -> maxConnections = (int) Math.min(Integer.MAX_VALUE, positive(arg, value));
            case "--body-timeout" -> bodyTimeout = duration(arg, value);
            case "--continuity-store-chars" -> continuityChars = value.equals("0") ? 0 : positive(arg, value);
            case "--continuity-ttl" -> continuityTtl = duration(arg, value);
            case "--response-store" -> {
              if (!List.of("memory", "none", "redis").contains(value)) {
                throw new UsageException("--response-store must be memory, redis or none, not '" + value + "'");
              }
              storeMode = value;
            }
            case "--redis" -> redis = redisUri(value);
            case "--response-store-chars" -> responseChars = positive(arg, value);
            case "--response-ttl" -> responseTtl = duration(arg, value);
            default -> maxBody = positive(arg, value);
          }
        }
        default -> throw new UsageException("unknown option " + arg);
      }
    }
    envKeys.ifPresent(v -> {
      for (String k : v.split(",")) {
        if (!k.isBlank()) {
          keys.add(k.trim());
        }
      }
    });
    if (manifests != null && snapshot != null) {
      throw new UsageException("--manifests and --snapshot exclude each other: local mode reads manifests, cluster mode a snapshot");
    }
    if (port == adminPort && port != 0) {
      throw new UsageException("--port and --admin-port must differ");
    }
    return new ProxyOptions(host, port, adminPort, Optional.ofNullable(manifests), Optional.ofNullable(snapshot),
        List.copyOf(keys), maxBody, accessLog, shutdownGrace, memoryBudget, upstream, maxConnections,
        bodyTimeout, new ContinuityStore.Bounds(continuityChars, continuityTtl),
        responseStore(storeMode, redis, responseChars, responseTtl), requireKey, onRedisError, List.copyOf(corsOrigins),
        Optional.ofNullable(adminHost));
  }

  /** An origin as browsers send it: {@code *}, or scheme://host[:port] without a path. */
  public static String origin(String value) throws UsageException {
    if (value.equals("*") || value.matches("^https?://[^/?#\\s]+$")) {
      return value;
    }
    throw new UsageException("--cors-origin must be an origin such as https://app.example.com or http://localhost:3000"
        + " (scheme, host and port, no path), or *; not '" + value + "'");
  }

  /** The store asked for; with a Redis and no choice, Redis, so every replica continues every conversation. */
  private static ResponseStoreConfig responseStore(String mode, java.net.URI redis, long chars, Duration ttl) throws UsageException {
    ResponseStoreConfig.Mode m = switch (mode) {
      case "none" -> ResponseStoreConfig.Mode.NONE;
      case "memory" -> ResponseStoreConfig.Mode.MEMORY;
      case "redis" -> ResponseStoreConfig.Mode.REDIS;
      default -> redis == null ? ResponseStoreConfig.Mode.MEMORY : ResponseStoreConfig.Mode.REDIS;
    };
    if (m == ResponseStoreConfig.Mode.REDIS && redis == null) {
      throw new UsageException("--response-store redis needs --redis URL (redis://host:6379)");
    }
    return new ResponseStoreConfig(m, chars, ttl, Optional.ofNullable(redis));
  }

  private static java.net.URI redisUri(String value) throws UsageException {
    try {
      java.net.URI uri = new java.net.URI(value);
      if (("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null) {
        return uri;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below, without the value: it may hold a password
    }
    throw new UsageException("--redis must be a URL such as redis://host:6379 or rediss://user:password@host:6380");
  }

  private static int port(String name, String value) throws UsageException {
    try {
      int p = Integer.parseInt(value);
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(name + " must be a port number from 0 to 65535, not '" + value + "'");
  }

  private static long positive(String name, String value) throws UsageException {
    try {
      long n = Long.parseLong(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(name + " must be a positive number, not '" + value + "'");
  }

  private static Duration duration(String name, String value) throws UsageException {
    if (!Durations.isValid(value)) {
      throw new UsageException(name + " must be a duration such as 30s, 500ms or 2m, not '" + value + "'");
    }
    return Durations.parse(value);
  }

  private static String nonBlank(String name, String value) throws UsageException {
    if (value.isBlank()) {
      throw new UsageException(name + " must not be empty");
    }
    return value.trim();
  }
}
