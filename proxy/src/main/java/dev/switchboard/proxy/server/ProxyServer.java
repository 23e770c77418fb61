package dev.switchboard.proxy.server;

import dev.switchboard.proxy.capability.CapabilityBook;
import dev.switchboard.proxy.capability.CapabilityChecker;
import dev.switchboard.proxy.exchange.ContinuityStore;

import dev.switchboard.proxy.admin.AdminService;
import dev.switchboard.proxy.api.ChatCompletionsService;
import dev.switchboard.proxy.api.EmbeddingsService;
import dev.switchboard.proxy.api.MessagesService;
import dev.switchboard.proxy.api.ResponsesService;
import dev.switchboard.proxy.state.ResponseStore;
import dev.switchboard.proxy.api.ModelsService;
import dev.switchboard.proxy.api.PublicErrors;
import dev.switchboard.proxy.api.RequestFraming;
import dev.switchboard.proxy.error.SecretMasker;
import dev.switchboard.proxy.memory.MemoryBudget;
import dev.switchboard.proxy.observe.AccessLog;
import dev.switchboard.proxy.observe.ProxyMetrics;
import dev.switchboard.proxy.probe.BackendProber;
import dev.switchboard.proxy.routing.ChatRouter;
import dev.switchboard.proxy.upstream.Adapters;
import dev.switchboard.proxy.upstream.UpstreamHttp;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import java.time.Duration;
import java.util.List;
import io.helidon.webserver.http.HttpRouting;

/** The running proxy: the public API listener and the admin listener, sharing one context. */
public final class ProxyServer implements AutoCloseable {
  public static final String ADMIN_SOCKET = "admin";
  /** The admin port's own bound: probes, scrapes and the operator need few, and a full public port leaves them free. */
  public static final int ADMIN_CONNECTIONS = 256;
  /** The longest request line and header block a client may send (documented in docs/proxy.md). */
  public static final int MAX_REQUEST_LINE = 8 * 1024;
  public static final int MAX_REQUEST_HEADERS = 32 * 1024;
  /**
   * The longest a client connection may be silent while the proxy waits to read from it (a
   * request head, a body, the next request on a kept-alive connection). Answers being written are
   * not reads, so long streams are not cut by it.
   */
  public static final Duration CLIENT_READ_TIMEOUT = Duration.ofMinutes(5);

  private final WebServer server;
  private final ProxyContext context;

  private ProxyServer(WebServer server, ProxyContext context) {
    this.server = server;
    this.context = context;
  }

  /** A context with its own HTTP clients, metrics and prober (scheduled when {@code probing}). */
  public static ProxyContext context(Settings settings, AccessLog accessLog, boolean probing) {
    ProxyMetrics metrics = new ProxyMetrics();
    MemoryBudget memory = settings.newMemoryBudget();
    metrics.memoryBudget(memory);
    settings.adminToken().ifPresent(token -> SecretMasker.register("admin-token", List.of(token)));
    Adapters adapters = new Adapters(new UpstreamHttp(settings.upstream(), memory));
    ConfigHolder holder = new ConfigHolder(adapters, metrics);
    BackendProber prober = new BackendProber(probing);
    holder.onChange(prober::configure);
    ResponseStore responses = settings.responseStore().newStore(memory);
    System.getLogger("dev.switchboard.proxy").log(System.Logger.Level.INFO, "stored responses: " + responses.describe());
    dev.switchboard.proxy.quota.ClientQuotas quotas = settings.newClientQuotas();
    System.getLogger("dev.switchboard.proxy").log(System.Logger.Level.INFO, "client limits: " + quotas.store().describe());
    metrics.quotaStore(quotas);
    dev.switchboard.proxy.quota.BackendQuotas backendLimits = new dev.switchboard.proxy.quota.BackendQuotas(quotas);
    holder.onChange(serving -> backendLimits.fleetSize(serving.config().fleetSize()));
    ContinuityStore continuity = settings.newContinuityStore();
    CapabilityChecker capabilities = new CapabilityChecker(new CapabilityBook(), memory, continuity, probing && settings.localMode());
    holder.onChange(capabilities::configure);
    return new ProxyContext(holder, new ChatRouter(continuity, backendLimits, capabilities.book()), metrics, accessLog, prober, settings,
        memory, responses, quotas, capabilities);
  }

  public static ProxyServer start(String host, int port, int adminPort, ProxyContext context) {
    return start(host, port, adminPort, ProxyOptions.DEFAULT_SHUTDOWN_GRACE, context);
  }

  /**
   * @param shutdownGrace on stop (SIGTERM included), the listeners stop accepting, close idle
   *     connections, and give requests in flight this long to finish before cutting them off, so a
   *     rolling update does not truncate streams
   */
  public static ProxyServer start(String host, int port, int adminPort, Duration shutdownGrace, ProxyContext context) {
    return start(host, host, port, adminPort, shutdownGrace, context);
  }

  /** @param adminHost the interface of the admin port (console, metrics, admin API), which may differ from the public one */
  public static ProxyServer start(String host, String adminHost, int port, int adminPort, Duration shutdownGrace, ProxyContext context) {
    WebServer server = WebServer.builder()
        .host(host)
        .port(port)
        .shutdownHook(true)
        .shutdownGracePeriod(shutdownGrace)
        // Without TCP_NODELAY, Nagle's algorithm holds each small stream event until the client
        // acknowledges the previous one, which delayed ACKs stretch to tens of milliseconds.
        .connectionOptions(o -> o.tcpNoDelay(true).readTimeout(CLIENT_READ_TIMEOUT))
        // Every open connection costs heap (Settings.CONNECTION_BYTES), so their number is bounded too.
        .maxTcpConnections(context.settings().connectionLimit())
        .addProtocol(http1())
        .routing(routing -> publicRouting(routing, context))
        .putSocket(ADMIN_SOCKET, socket -> socket.host(adminHost).port(adminPort).shutdownGracePeriod(shutdownGrace)
            .connectionOptions(o -> o.tcpNoDelay(true).readTimeout(CLIENT_READ_TIMEOUT))
            .maxTcpConnections(ADMIN_CONNECTIONS)
            .addProtocol(http1()))
        .routing(ADMIN_SOCKET, routing -> adminRouting(routing, context))
        .build()
        .start();
    return new ProxyServer(server, context);
  }

  private static Http1Config http1() {
    return Http1Config.builder().maxPrologueLength(MAX_REQUEST_LINE).maxHeadersSize(MAX_REQUEST_HEADERS).build();
  }

  /** The OpenAI-compatible API. */
  public static void publicRouting(HttpRouting.Builder routing, ProxyContext context) {
    routing.addFilter(new RequestFraming());
    // CORS before client authentication: a preflight carries no key, and every answer (a 401 too) needs the grant.
    dev.switchboard.proxy.api.BrowserAccess.support(context.settings().corsOrigins()).ifPresent(cors -> routing.register("/v1", cors));
    PublicErrors.install(routing, context);
    routing.register("/v1", new ChatCompletionsService(context), new MessagesService(context), new ResponsesService(context),
        new EmbeddingsService(context),
        new ModelsService(context));
    PublicErrors.fallback(routing);
  }

  /** Health, readiness, metrics and the operator's API. */
  public static void adminRouting(HttpRouting.Builder routing, ProxyContext context) {
    routing.addFilter(new RequestFraming());
    PublicErrors.install(routing);
    routing.register(new AdminService(context), new dev.switchboard.proxy.api.PlaygroundService(context));
    // The console: static files from the jar (no secrets in them; the data comes from the admin API with the token).
    routing.get("/", (req, res) -> {
      res.status(io.helidon.http.Status.FOUND_302);
      res.header(io.helidon.http.HeaderNames.LOCATION, "/console/");
      res.send();
    });
    routing.register("/console", io.helidon.webserver.staticcontent.StaticContentService.builder("console")
        .welcomeFileName("index.html").build());
    PublicErrors.fallback(routing);
  }

  public int port() {
    return server.port();
  }

  public int adminPort() {
    return server.port(ADMIN_SOCKET);
  }

  public ProxyContext context() {
    return context;
  }

  @Override
  public void close() {
    server.stop();
    context.prober().close();
  }
}
