package dev.switchboard.proxy.upstream;

import dev.switchboard.proxy.error.SecretMasker;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.BackendEgress;
import dev.switchboard.config.BackendTls;
import dev.switchboard.config.SecretValue;
import dev.switchboard.proxy.memory.GrowingBuffer;
import dev.switchboard.proxy.memory.MemoryBudget;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.common.socket.SocketOptions;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.api.WebClientConfig;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientProtocolConfig;
import io.helidon.webclient.http1.Http1ClientRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * The HTTP side of every adapter: pooled keep-alive clients (one per connect timeout, shared by
 * backends), requests with the backend's timeouts, and exceptions classified into
 * {@link UpstreamException}s with secrets masked.
 */
public final class UpstreamHttp {
  public static final HeaderName RETRY_AFTER_MS = HeaderNames.create("retry-after-ms");
  private static final String USER_AGENT = "switchboard/0.1";
  private static final int MAX_CACHED_URIS = 4096;

  private final UpstreamLimits limits;

  /**
   * Which connections a request may share: the connect timeout, the egress route ("http" or
   * "https" through the environment's proxy, "direct" for a host NO_PROXY names, or the
   * backend's own proxy) and the TLS material. Records compare by value, so a backend whose
   * certificates did not change keeps its warm connections across config reloads, and one whose
   * certificates changed gets new ones.
   */
  private record ClientKey(Duration connectTimeout, String scheme, Optional<BackendTls> tls, Optional<BackendEgress> egress) {
    /** Keys with a backend's own material get their own connection cache, closed when the backend moves off it. */
    boolean dedicated() {
      return tls.filter(t -> t != DEFAULT_TLS).isPresent() || egress.isPresent();
    }
  }

  /** The default trust, still wrapped so that a refused public certificate is explained too. */
  private static final BackendTls DEFAULT_TLS = new BackendTls("", "", false, "", SecretValue.empty(), Optional.empty());

  /**
   * A client and what its connections have shown so far.
   *
   * @param tls the TLS material's context, for https clients
   * @param answered whether any request on it got a response head (then a later reset is not the handshake's)
   */
  private record Upstream(Http1Client client, Optional<TlsMaterial.Built> tls, java.util.concurrent.atomic.AtomicBoolean answered) {
    /** Words for a connection that closed on the first request after the backend asked for a client certificate. */
    Optional<String> certificateHint(BackendConfig backend) {
      if (tls.isEmpty() || !tls.get().certificateRequested().get() || answered.get()) {
        return Optional.empty();
      }
      return Optional.of(backend.tls().map(t -> t.presentsCertificate()).orElse(false)
          ? "client certificate refused: the backend asked for a client certificate and closed the connection after the one presented"
          : "client certificate required: the backend asked for a client certificate and closed the connection without one; set spec.tls.clientCertificate");
    }
  }

  private final Map<ClientKey, Upstream> clients = new ConcurrentHashMap<>();
  // The key each backend used last, to retire a dedicated client when its certificates rotate.
  private final Map<String, ClientKey> keyOfBackend = new ConcurrentHashMap<>();
  // Upstream URLs come from the config (one or a few per backend), so parsing each once is enough.
  private final Map<String, URI> uris = new ConcurrentHashMap<>();

  private final MemoryBudget budget;

  // Read once: the environment does not change, and this is asked on every upstream call.
  private final Optional<EgressProxy> httpsEgress;
  private final Optional<EgressProxy> httpEgress;

  public UpstreamHttp(UpstreamLimits limits, MemoryBudget budget) {
    this(limits, budget, System.getenv());
  }

  /** @throws IllegalArgumentException when HTTPS_PROXY or HTTP_PROXY is not a proxy URL (at startup, not per request) */
  UpstreamHttp(UpstreamLimits limits, MemoryBudget budget, Map<String, String> env) {
    this.limits = limits;
    this.budget = budget;
    this.httpsEgress = EgressProxy.forScheme("https", env);
    this.httpEgress = EgressProxy.forScheme("http", env);
    for (Optional<EgressProxy> e : List.of(httpsEgress, httpEgress)) {
      e.map(p -> p.url().getRawUserInfo()).filter(u -> u != null && u.contains(":"))
          .ifPresent(u -> SecretMasker.register("egress-proxy", List.of(dev.switchboard.config.SecretValue.of(u.substring(u.indexOf(':') + 1)))));
    }
  }

  /** The process's budget, for exchanges that belong to no client request (probes). */
  public MemoryBudget budget() {
    return budget;
  }

  public UpstreamLimits limits() {
    return limits;
  }

  /*
   * Only HTTP/1.1 is on the class path, so the client is asked for that protocol directly instead
   * of discovering it per request. Helidon's default proxy setting asks the JVM's ProxySelector on
   * every request; when no JVM proxy property is set that answer is always "direct", so it is
   * decided once here and the JVM's proxy settings still apply whenever they are given.
   */
  private Upstream client(BackendConfig backend, URI uri) {
    boolean https = "https".equals(uri.getScheme());
    ClientKey key = new ClientKey(backend.timeouts().connect(), backend.egress().isPresent() ? "backend" : egressScheme(uri),
        https ? Optional.of(backend.tls().orElse(DEFAULT_TLS)) : Optional.empty(), backend.egress());
    Upstream client = clients.get(key);
    if (client == null) {
      client = clients.computeIfAbsent(key, k -> build(backend.id(), k));
    }
    ClientKey previous = keyOfBackend.put(backend.id(), key);
    if (previous != null && !previous.equals(key) && previous.dedicated()) {
      retire(previous, backend.timeouts().request());
    }
    return client;
  }

  private Upstream build(String backendId, ClientKey key) {
    WebClientConfig.Builder builder = WebClient.builder()
        .socketOptions(SocketOptions.builder().connectTimeout(key.connectTimeout()).tcpNoDelay(true).build())
        .sendExpectContinue(false)
        .followRedirects(false)
        .connectionCacheSize(1024)
        .shareConnectionCache(!key.dedicated())
        .proxy(key.egress().map(UpstreamHttp::proxy).orElseGet(() -> proxy(key.scheme())))
        .addHeader(HeaderNames.USER_AGENT, USER_AGENT)
        .addProtocolConfig(Http1ClientProtocolConfig.builder()
            .maxHeaderSize(limits.maxHeaderBytes())
            .maxStatusLineLength(4096)
            .build());
    Optional<TlsMaterial.Built> tls = key.tls().map(material -> TlsMaterial.build(backendId, material));
    tls.ifPresent(built -> builder.tls(Tls.builder().sslContext(built.context()).sslParameters(built.parameters())
        .endpointIdentificationAlgorithm(Tls.ENDPOINT_IDENTIFICATION_HTTPS).build()));
    return new Upstream(builder.build().client(Http1Client.PROTOCOL), tls, new java.util.concurrent.atomic.AtomicBoolean());
  }

  /**
   * Closes a dedicated client no backend uses any more (its certificates or proxy changed). Not at
   * once: requests and streams already running on it finish first, and new ones use the new client.
   */
  private void retire(ClientKey key, Duration grace) {
    if (keyOfBackend.containsValue(key)) {
      return;
    }
    Upstream old = clients.remove(key);
    if (old != null) {
      Thread.ofVirtual().name("switchboard-retire-client").start(() -> {
        try {
          Thread.sleep(grace.plusSeconds(10));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        old.client().closeResource();
      });
    }
  }

  /** Which client a URL takes: its scheme's proxy, or "direct" when NO_PROXY names its host. */
  private String egressScheme(URI uri) {
    boolean https = "https".equals(uri.getScheme());
    Optional<EgressProxy> egress = https ? httpsEgress : httpEgress;
    return egress.isPresent() && uri.getHost() != null && egress.get().bypasses(uri.getHost()) ? "direct" : https ? "https" : "http";
  }

  /** The backend's own proxy: none, or its URL with the login from its Secret. */
  private static Proxy proxy(BackendEgress egress) {
    if (egress.direct()) {
      return Proxy.noProxy();
    }
    URI url = URI.create(egress.url());
    Proxy.Builder b = Proxy.builder().type(Proxy.ProxyType.HTTP).host(url.getHost()).port(url.getPort() > 0 ? url.getPort() : 80);
    if (!egress.username().isEmpty()) {
      b.username(egress.username()).password(egress.password().reveal().toCharArray());
    }
    return b.build();
  }

  /** The environment's proxy for this scheme (HTTPS_PROXY, HTTP_PROXY), else the JVM's properties, else none. */
  private Proxy proxy(String scheme) {
    if (scheme.equals("direct")) {
      return Proxy.noProxy();
    }
    Optional<EgressProxy> egress = scheme.equals("https") ? httpsEgress : httpEgress;
    if (egress.isPresent()) {
      return egress.get().helidon();
    }
    return jvmProxyConfigured() ? Proxy.create() : Proxy.noProxy();
  }

  static boolean jvmProxyConfigured() {
    for (String property : List.of("http.proxyHost", "https.proxyHost", "socksProxyHost", "java.net.useSystemProxies")) {
      String value = System.getProperty(property);
      if (value != null && !value.isBlank() && !value.equalsIgnoreCase("false")) {
        return true;
      }
    }
    return false;
  }

  private URI uri(String url) {
    URI uri = uris.get(url);
    if (uri == null) {
      uri = URI.create(url); // the String overload of the client would percent-encode the query
      if (uris.size() >= MAX_CACHED_URIS) {
        uris.clear();
      }
      uris.put(url, uri);
    }
    return uri;
  }

  /**
   * Sends a request and waits for the response head.
   *
   * @param headTimeout how long to wait for the status line
   * @param readTimeout the socket read timeout for the body (a safety net; watchdogs are precise)
   */
  public Exchange send(BackendConfig backend, Method method, String url, Map<HeaderName, String> headers, byte[] body,
      boolean acceptStream, Duration headTimeout, Duration readTimeout, MemoryBudget.Lease lease) throws UpstreamException {
    long startNanos = System.nanoTime();
    Upstream upstream = client(backend, uri(url));
    Http1ClientRequest request = upstream.client()
        .method(method)
        .uri(uri(url))
        .readTimeout(readTimeout.compareTo(headTimeout) > 0 ? readTimeout : headTimeout)
        .header(HeaderNames.ACCEPT, acceptStream ? "text/event-stream" : "application/json");
    headers.forEach(request::header);
    backend.headers().forEach((name, value) -> request.header(HeaderNames.create(name), value));
    HttpClientResponse response;
    try {
      if (body == null) {
        response = request.request();
      } else {
        request.contentType(MediaTypes.APPLICATION_JSON);
        response = request.submit(body);
      }
    } catch (RuntimeException e) {
      UpstreamException failure = classify(backend, e);
      Optional<String> hint = failure.tlsHandshakeFailed() ? Optional.empty() : upstream.certificateHint(backend);
      throw hint.isPresent() ? UpstreamException.tls("backend " + backend.id() + ": TLS handshake failed: " + hint.get()) : failure;
    }
    if (!upstream.answered().get()) {
      upstream.answered().set(true);
    }
    if (System.nanoTime() - startNanos > headTimeout.toNanos() + 50_000_000L) {
      response.close();
      throw UpstreamException.timeout("backend " + backend.id() + " did not answer within " + describe(headTimeout));
    }
    return new Exchange(backend, response, limits, lease);
  }

  private static final String PROXY_REFUSED = "Proxy sent wrong HTTP response code:";

  /** Turns a client exception into a classified, masked failure. */
  static UpstreamException classify(BackendConfig backend, Throwable error) {
    String what = "backend " + backend.id();
    for (Throwable t = error; t != null; t = t.getCause()) {
      String text = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
      // Helidon's parser refuses an oversized or malformed response head; the backend answered, badly.
      if (t instanceof IllegalStateException || t instanceof IllegalArgumentException
          || t.getClass().getName().startsWith("io.helidon.common.buffers.DataReader")) {
        if (text.contains("header") || text.contains("prologue") || text.contains("status line") || text.contains("size")) {
          return UpstreamException.protocol(what + " answered with a response head the gateway refuses"
              + " (more headers than its limit allows, or malformed)");
        }
      }
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      // Helidon's CONNECT tunnel: the egress proxy answered something other than 200.
      String message = String.valueOf(t.getMessage());
      int at = message.indexOf(PROXY_REFUSED);
      if (at >= 0) {
        String answer = message.substring(at + PROXY_REFUSED.length()).trim();
        boolean login = answer.startsWith("401") || answer.startsWith("407");
        return UpstreamException.connect(what + ": the egress proxy refused to open a tunnel to it: " + answer
            + (login ? " (check the proxy login: spec.proxy.credentials, or the user in HTTPS_PROXY)" : ""));
      }
    }
    Throwable cause = error;
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
          || t instanceof SSLException || t instanceof SocketTimeoutException || t instanceof IOException) {
        cause = t;
        break;
      }
    }
    String detail = cause.getMessage() == null ? cause.getClass().getSimpleName()
        : SecretMasker.mask(cause.getMessage(), backend.apiKey());
    if (cause instanceof SocketTimeoutException) {
      if (detail.toLowerCase().contains("connect")) {
        return UpstreamException.connect(what + ": connection timed out after " + describe(backend.timeouts().connect()));
      }
      return UpstreamException.timeout(what + " did not answer in time");
    }
    if (cause instanceof UnknownHostException) {
      return UpstreamException.connect(what + ": unknown host " + detail);
    }
    if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
      return UpstreamException.connect(what + ": connection refused (" + detail + ")");
    }
    Optional<String> tls = TlsFailures.describe(backend, error);
    if (tls.isPresent()) {
      return UpstreamException.tls(what + ": TLS handshake failed: " + SecretMasker.mask(tls.get(), backend.apiKey()));
    }
    return UpstreamException.connect(what + ": " + cause.getClass().getSimpleName() + " (" + detail + ")");
  }

  static String describe(Duration d) {
    return dev.switchboard.config.Durations.format(d);
  }

  /** One response being read. Closing it before the body is read aborts the connection. */
  public static final class Exchange implements AutoCloseable {
    private final BackendConfig backend;
    private final HttpClientResponse response;
    private final UpstreamLimits limits;
    private final MemoryBudget.Lease lease;

    Exchange(BackendConfig backend, HttpClientResponse response, UpstreamLimits limits, MemoryBudget.Lease lease) {
      this.backend = backend;
      this.response = response;
      this.limits = limits;
      this.lease = lease;
    }

    public int status() {
      return response.status().code();
    }

    public String header(HeaderName name) {
      return response.headers().first(name).orElse(null);
    }

    public InputStream body() {
      return response.inputStream();
    }

    public UpstreamLimits limits() {
      return limits;
    }

    /** The request's share of the memory budget; stream buffers grow on it too. */
    public MemoryBudget.Lease lease() {
      return lease;
    }

    /** The whole body, up to {@link UpstreamLimits#maxAnswerBytes()}; for answers that are not streamed. */
    public byte[] readAll(Watchdog watchdog) throws UpstreamException {
      return readAll(watchdog, limits.maxAnswerBytes());
    }

    /** The whole body, up to {@code limit} bytes. */
    public byte[] readAll(Watchdog watchdog, long limit) throws UpstreamException {
      try (InputStream in = response.inputStream()) {
        return GrowingBuffer.read(in, limit, response.headers().contentLength().orElse(-1), lease);
      } catch (GrowingBuffer.TooLarge e) {
        close();
        throw UpstreamException.protocol("backend " + backend.id() + " answered more than the limit of " + limit + " bytes");
      } catch (MemoryBudget.Exhausted e) {
        close();
        throw UpstreamException.overloaded("the gateway is holding as many answers as its memory allows; try again shortly");
      } catch (IOException | RuntimeException e) {
        if (watchdog != null && watchdog.fired()) {
          throw UpstreamException.timeout("backend " + backend.id() + " did not finish its answer in time");
        }
        throw UpstreamException.stream("backend " + backend.id() + " broke off its answer (" + describeBreak(e, backend) + ")");
      }
    }

    /** Reads an error answer (its first {@link UpstreamLimits#maxErrorBytes()}) and turns it into a classified failure. */
    public UpstreamException error() {
      byte[] body;
      try (InputStream in = response.inputStream()) {
        body = in.readNBytes(limits.maxErrorBytes());
      } catch (IOException | RuntimeException e) {
        body = new byte[0];
      }
      close();
      return UpstreamErrors.fromResponse(backend, status(), body, header(HeaderNames.CONTENT_TYPE),
          header(HeaderNames.RETRY_AFTER), header(RETRY_AFTER_MS));
    }

    @Override
    public void close() {
      try {
        response.close();
      } catch (RuntimeException ignored) {
        // The connection may already be gone; nothing else to release.
      }
    }
  }

  /** Words for why a body or stream broke: the exception's message, masked, or its kind when it has none. */
  static String describeBreak(Throwable e, BackendConfig backend) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return SecretMasker.mask(t.getMessage(), backend.apiKey());
      }
    }
    return "the connection closed";
  }
}
