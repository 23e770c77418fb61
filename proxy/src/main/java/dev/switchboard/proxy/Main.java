package dev.switchboard.proxy;

import dev.switchboard.compiler.ConfigCompiler;
import dev.switchboard.config.SecretValue;
import dev.switchboard.proxy.error.SecretMasker;
import dev.switchboard.manifest.ManifestReader;
import dev.switchboard.proxy.local.LocalMode;
import dev.switchboard.proxy.observe.AccessLog;
import dev.switchboard.proxy.server.ProxyContext;
import dev.switchboard.proxy.server.ProxyOptions;
import dev.switchboard.proxy.server.ProxyServer;
import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.server.SnapshotLoader;
import dev.switchboard.validation.ResourceValidator;
import io.helidon.logging.common.LogConfig;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Starts the proxy in local mode ({@code --manifests}) or cluster mode. */
public final class Main {
  private Main() {}

  /** {@code SWITCHBOARD_REDIS_URL} stands for {@code --redis}, so a password need not be on the command line. */
  static String[] withRedisFromEnvironment(String[] args) {
    String url = Optional.ofNullable(System.getenv("SWITCHBOARD_REDIS_URL")).map(String::strip).orElse("");
    if (url.isEmpty() || java.util.Arrays.stream(args).anyMatch(a -> a.equals("--redis") || a.startsWith("--redis="))) {
      return args;
    }
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--redis";
    all[args.length + 1] = url;
    return all;
  }

  public static void main(String[] args) {
    ProxyOptions options;
    try {
      options = ProxyOptions.parse(withRedisFromEnvironment(args), Optional.ofNullable(System.getenv("SWITCHBOARD_API_KEYS")));
    } catch (ProxyOptions.UsageException e) {
      if (!e.getMessage().isEmpty()) {
        System.err.println("switchboard-proxy: " + e.getMessage() + "\n");
      }
      System.err.print(ProxyOptions.USAGE);
      System.exit(e.getMessage().isEmpty() ? 0 : 2);
      return;
    }
    // Cluster mode's snapshot is parsed while logging, metrics and the adapters are set up.
    Optional<CompletableFuture<SnapshotLoader.Snapshot>> snapshot = options.snapshot()
        .map(file -> CompletableFuture.supplyAsync(() -> SnapshotLoader.read(file), Main::onOwnThread));
    LogConfig.configureRuntime();
    boolean local = options.manifests().isPresent();
    String token = Optional.ofNullable(System.getenv("SWITCHBOARD_ADMIN_TOKEN")).map(String::strip).orElse("");
    if (!local && token.isEmpty()) {
      System.err.println("switchboard-proxy: cluster mode needs SWITCHBOARD_ADMIN_TOKEN, the token the operator pushes configs"
          + " with.\nTo run on your own, use local mode: --manifests PATH (try examples/quickstart).");
      System.exit(2);
      return;
    }
    SecretMasker.register("client-keys", options.apiKeys().stream().map(SecretValue::of).toList());
    options.responseStore().redis().map(java.net.URI::getUserInfo).filter(u -> u != null && !u.isEmpty())
        .ifPresent(u -> SecretMasker.register("redis", List.of(SecretValue.of(u.substring(u.indexOf(':') + 1)))));
    Settings settings = Settings.defaults().withMaxBodyBytes(options.maxBodyBytes()).withClientKeys(options.apiKeys())
        .withMemoryBudgetBytes(options.memoryBudgetBytes()).withUpstreamLimits(options.upstream())
        .withConnections(options.maxConnections(), options.bodyTimeout()).withContinuity(options.continuity())
        .withResponseStore(options.responseStore()).requiringClientKeys(options.requireClientKey())
        .onQuotaStoreError(options.onRedisError()).withCorsOrigins(corsOrigins(options));
    if (!token.isEmpty()) {
      settings = settings.withAdminToken(token);
    }
    if (local) {
      settings = settings.inLocalMode();
    }
    ProxyContext context = ProxyServer.context(settings, AccessLog.toStdout(options.accessLog()), true);

    if (local) {
      ResourceValidator validator = ResourceValidator.fromClasspath();
      LocalMode mode = new LocalMode(options.manifests().get(), ManifestReader.withSystemEnvironment(validator),
          new ConfigCompiler(validator), context.holder(), System.out);
      mode.start();
      mode.watch(Duration.ofMillis(500));
    } else {
      options.snapshot().ifPresent(file -> {
        SnapshotLoader loader = new SnapshotLoader(file, context.holder());
        loader.load(snapshot.orElseThrow().join());
        loader.watch(2000);
      });
    }
    // Without an admin token the admin port (console included) is open, so it listens on loopback unless told otherwise.
    String adminHost = options.adminHost().orElse(token.isEmpty() ? "127.0.0.1" : options.host());
    ProxyServer server = ProxyServer.start(options.host(), adminHost, options.port(), options.adminPort(), options.shutdownGrace(),
        context);
    if (server.port() < 0 || server.adminPort() < 0) {
      // Helidon reports a failed bind as port -1 (the reason is in the log above); never claim to listen.
      System.err.println("switchboard-proxy: cannot listen on " + options.host() + " port "
          + (server.port() < 0 ? options.port() : options.adminPort())
          + ": the port is in use or not allowed (see the error above). Choose another with --port or --admin-port.");
      server.close();
      System.exit(1);
      return;
    }
    String host = options.host().equals("0.0.0.0") ? "localhost" : options.host();
    String admin = adminHost.equals("0.0.0.0") || adminHost.equals("127.0.0.1") ? "localhost" : adminHost;
    System.out.println("Listening on http://" + host + ":" + server.port() + "/v1 (console, admin, health and metrics on http://"
        + admin + ":" + server.adminPort() + "/)" + "; " + accessMode(settings, context)
        + String.format(java.util.Locale.ROOT, ", started in %.2f s", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0));
    if (!local && context.holder().current().isEmpty()) {
      System.out.println("Waiting for the operator to push a routing config to PUT /admin/config.");
    }
    System.out.flush();
  }

  /** Says at startup whether /v1 needs a key, and why: a gateway must never be open without saying so. */
  /** {@code --cors-origin} and SWITCHBOARD_CORS_ORIGINS (comma-separated), checked alike. */
  private static List<String> corsOrigins(ProxyOptions options) {
    List<String> origins = new java.util.ArrayList<>(options.corsOrigins());
    String env = System.getenv("SWITCHBOARD_CORS_ORIGINS");
    if (env != null) {
      for (String o : env.split(",")) {
        if (!o.isBlank()) {
          try {
            origins.add(ProxyOptions.origin(o.strip()));
          } catch (ProxyOptions.UsageException e) {
            throw new IllegalArgumentException("SWITCHBOARD_CORS_ORIGINS: " + e.getMessage());
          }
        }
      }
    }
    return origins;
  }

  private static String accessMode(Settings settings, ProxyContext context) {
    if (settings.requireClientKey()) {
      return "clients need an API key (--require-client-key)";
    }
    if (!settings.localKeyHashes().isEmpty()) {
      return "clients need an API key (--api-key)";
    }
    boolean keyed = context.holder().current().map(s -> s.config().keysRequired()).orElse(false);
    return keyed ? "clients need an API key (from the config)"
        : "open: no client API key is required (set --require-client-key or add a ClientKey to close it)";
  }

  private static void onOwnThread(Runnable task) {
    Thread thread = new Thread(task, "switchboard-snapshot-read");
    thread.setDaemon(true);
    thread.start();
  }
}
