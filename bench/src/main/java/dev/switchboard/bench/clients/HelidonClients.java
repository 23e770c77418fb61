package dev.switchboard.bench.clients;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.common.socket.SocketOptions;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.http.media.MediaContext;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.api.WebClientConfig;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientProtocolConfig;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http2.Http2Client;
import io.helidon.webclient.http2.Http2ClientProtocolConfig;
import io.helidon.webclient.http2.Http2ClientRequest;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Helidon's WebClient as candidates: HTTP/1.1 exactly as UpstreamHttp builds it, tuned variants of it, and HTTP/2. */
public final class HelidonClients {
  private HelidonClients() {}

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
  /** Helidon's HTTP/2 client sometimes stalls on a stream until this fires; short, so a stall costs the run 5 s, not a minute. */
  private static final Duration H2_READ_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Helidon settings beyond what UpstreamHttp sets; all off is UpstreamHttp's client.
   *
   * @param noValidation validateRequestHeaders(false) and validateResponseHeaders(false)
   * @param noSharedCache shareConnectionCache(false): the client's own connection cache instead of the JVM-wide one
   * @param noMedia an empty media context (no discovered readers and writers)
   * @param noServices servicesDiscoverServices(false)
   * @param noEncoding an empty content-encoding context
   * @param relativeUris relativeUris(true)
   * @param asBytes read the body with {@code as(byte[].class)} instead of {@code inputStream()}
   * @param writeBufferSize the client's write buffer (0: Helidon's default)
   * @param socketBuffers SO_RCVBUF and SO_SNDBUF (0: the kernel's default)
   */
  public record Settings(String label, boolean noValidation, boolean noSharedCache, boolean noMedia, boolean noServices,
      boolean noEncoding, boolean relativeUris, boolean asBytes, int writeBufferSize, int socketBuffers) {
    public static final Settings UPSTREAM_HTTP = new Settings("as UpstreamHttp", false, false, false, false, false, false, false, 0, 0);

    Settings with(String label, java.util.function.UnaryOperator<Settings> change) {
      Settings s = change.apply(this);
      return new Settings(label, s.noValidation, s.noSharedCache, s.noMedia, s.noServices, s.noEncoding, s.relativeUris, s.asBytes,
          s.writeBufferSize, s.socketBuffers);
    }

    /** One setting changed at a time from UpstreamHttp's, for the settings table. */
    public static List<Settings> variants() {
      Settings b = UPSTREAM_HTTP;
      return List.of(b,
          new Settings("validate*Headers(false)", true, false, false, false, false, false, false, 0, 0),
          new Settings("shareConnectionCache(false)", false, true, false, false, false, false, false, 0, 0),
          new Settings("empty media context", false, false, true, false, false, false, false, 0, 0),
          new Settings("servicesDiscoverServices(false)", false, false, false, true, false, false, false, 0, 0),
          new Settings("empty content encoding", false, false, false, false, true, false, false, 0, 0),
          new Settings("relativeUris(true)", false, false, false, false, false, true, false, 0, 0),
          new Settings("as(byte[].class)", false, false, false, false, false, false, true, 0, 0),
          new Settings("writeBufferSize 16 KiB", false, false, false, false, false, false, false, 16 * 1024, 0),
          new Settings("SO_RCVBUF/SO_SNDBUF 256 KiB", false, false, false, false, false, false, false, 0, 256 * 1024),
          TUNED);
    }

    /** The settings that cut work per request without changing what is sent, together: the "tuned" candidate. */
    public static final Settings TUNED = new Settings("tuned: validation off, own cache, no media, encoding or services",
        true, true, true, true, true, false, false, 0, 0);
  }

  /** The HTTP/1.1 client built like UpstreamHttp#client, plus the given settings, with TLS trusting only {@code cert}. */
  public static UpstreamClient http1(String name, Settings settings, SelfSignedCert cert) {
    SocketOptions.Builder socket = SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).tcpNoDelay(true);
    if (settings.socketBuffers() > 0) {
      socket.socketReceiveBufferSize(settings.socketBuffers()).socketSendBufferSize(settings.socketBuffers());
    }
    WebClientConfig.Builder builder = WebClient.builder()
        .socketOptions(socket.build())
        .sendExpectContinue(false)
        .followRedirects(false)
        .connectionCacheSize(1024)
        .proxy(Proxy.noProxy())
        .tls(tls(cert, List.of()))
        .addHeader(HeaderNames.USER_AGENT, Wire.USER_AGENT)
        .addProtocolConfig(Http1ClientProtocolConfig.builder()
            .maxHeaderSize(64 * 1024)
            .maxStatusLineLength(4096)
            .validateRequestHeaders(!settings.noValidation())
            .validateResponseHeaders(!settings.noValidation())
            .build());
    if (settings.noSharedCache()) {
      builder.shareConnectionCache(false);
    }
    if (settings.noMedia()) {
      builder.mediaContext(MediaContext.builder().mediaSupportsDiscoverServices(false).build());
    }
    if (settings.noServices()) {
      builder.servicesDiscoverServices(false);
    }
    if (settings.noEncoding()) {
      builder.contentEncoding(ContentEncodingContext.builder().contentEncodingsDiscoverServices(false).build());
    }
    if (settings.relativeUris()) {
      builder.relativeUris(true);
    }
    if (settings.writeBufferSize() > 0) {
      builder.writeBufferSize(settings.writeBufferSize());
    }
    Http1Client client = builder.build().client(Http1Client.PROTOCOL);
    return new UpstreamClient() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String protocol() {
        return "HTTP/1.1";
      }

      @Override
      public void call(URI uri, boolean stream, Scratch s) throws Exception {
        // As UpstreamHttp#send: method, URI, read timeout, accept, the backend's headers, content type, submit.
        Http1ClientRequest request = client.method(Method.POST)
            .uri(uri)
            .readTimeout(READ_TIMEOUT)
            .header(HeaderNames.ACCEPT, stream ? "text/event-stream" : "application/json");
        request.header(HeaderNames.AUTHORIZATION, Wire.AUTHORIZATION);
        request.contentType(MediaTypes.APPLICATION_JSON);
        try (HttpClientResponse response = request.submit(stream ? Wire.STREAM_REQUEST : Wire.CHAT_REQUEST)) {
          s.status = response.status().code();
          if (settings.asBytes() && !stream) {
            UpstreamClient.accept(s, response.as(byte[].class));
            return;
          }
          try (InputStream in = response.inputStream()) {
            UpstreamClient.read(in, response.headers().contentLength().orElse(-1), stream, s);
          }
        }
      }

      @Override
      public void close() {
        client.closeResource();
      }
    };
  }

  /** Helidon's HTTP/2 client (helidon-webclient-http2 4.3.4 on the 4.3.0 modules) over TLS with ALPN h2. */
  public static UpstreamClient http2(String name, SelfSignedCert cert) {
    Http2Client client = WebClient.builder()
        .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).tcpNoDelay(true).build())
        .sendExpectContinue(false)
        .followRedirects(false)
        .connectionCacheSize(1024)
        .proxy(Proxy.noProxy())
        .tls(tls(cert, List.of("h2")))
        .addHeader(HeaderNames.USER_AGENT, Wire.USER_AGENT)
        .addProtocolConfig(Http2ClientProtocolConfig.builder().priorKnowledge(false).build())
        .build()
        .client(Http2Client.PROTOCOL);
    return new UpstreamClient() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String protocol() {
        return "HTTP/2";
      }

      @Override
      public boolean plain() {
        return false;
      }

      @Override
      public boolean streams() {
        // Measured 2026-12-03: with one caller a stream stalls within seconds ("No data received on
        // stream N within the timeout"), again and again; with 32 callers it runs, slowly.
        return false;
      }

      @Override
      public void call(URI uri, boolean stream, Scratch s) throws Exception {
        Http2ClientRequest request = client.method(Method.POST)
            .uri(uri)
            .readTimeout(H2_READ_TIMEOUT)
            .header(HeaderNames.ACCEPT, stream ? "text/event-stream" : "application/json");
        request.header(HeaderNames.AUTHORIZATION, Wire.AUTHORIZATION);
        request.contentType(MediaTypes.APPLICATION_JSON);
        try (HttpClientResponse response = request.submit(stream ? Wire.STREAM_REQUEST : Wire.CHAT_REQUEST)) {
          s.status = response.status().code();
          try (InputStream in = response.inputStream()) {
            UpstreamClient.read(in, response.headers().contentLength().orElse(-1), stream, s);
          }
        }
      }

      @Override
      public void close() {
        client.closeResource();
      }
    };
  }

  private static Tls tls(SelfSignedCert cert, List<String> alpn) {
    return Tls.builder()
        .trust(List.of(cert.certificate()))
        .endpointIdentificationAlgorithm("HTTPS")
        .applicationProtocols(alpn)
        .build();
  }
}
