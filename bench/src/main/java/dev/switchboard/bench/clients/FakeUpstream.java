package dev.switchboard.bench.clients;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The fake upstream of the client comparison, meant to run in its own process so that the client
 * JVM's CPU is the client's alone: a Jetty server on 127.0.0.1 with a plain HTTP/1.1 port and a
 * TLS port that offers {@code h2} and {@code http/1.1} by ALPN. It answers {@link Wire#PATH} with
 * {@link Wire#COMPLETION}, or with {@link Wire#EVENTS} (each flushed) when the body asks for a stream.
 *
 * <p>It counts at the server what the comparison reports: TCP connections accepted, TLS handshakes
 * completed, requests per protocol, and the distinct connections that carried requests. Standard
 * input takes commands: {@code stats} prints {@code stats ACCEPTED HANDSHAKES USED H1 H2} (USED is
 * the number of distinct connections since the previous {@code stats}) and end of input stops it.
 *
 * <p>Usage: {@code FakeUpstream KEYSTORE.p12 PASSWORD}; prints {@code ports PLAIN TLS} once listening.
 */
public final class FakeUpstream {
  private final LongAdder accepted = new LongAdder();
  private final LongAdder handshakes = new LongAdder();
  private final LongAdder h1 = new LongAdder();
  private final LongAdder h2 = new LongAdder();
  private volatile Set<SocketAddress> used = ConcurrentHashMap.newKeySet();
  private final Server server;
  private final ServerConnector plain;
  private final ServerConnector tls;

  FakeUpstream(String keystore, String password) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(256, 8);
    threads.setName("upstream");
    server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    plain = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));

    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(keystore);
    ssl.setKeyStorePassword(password);
    ssl.setKeyStoreType("PKCS12");
    HttpConnectionFactory tlsHttp1 = new HttpConnectionFactory(http);
    HTTP2ServerConnectionFactory tlsHttp2 = new HTTP2ServerConnectionFactory(http);
    tlsHttp2.setMaxConcurrentStreams(256);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
    alpn.setDefaultProtocol(tlsHttp1.getProtocol());
    SslConnectionFactory tlsFactory = new SslConnectionFactory(ssl, alpn.getProtocol());
    tlsFactory.addBean(new SslHandshakeListener() {
      @Override
      public void handshakeSucceeded(Event event) {
        handshakes.increment();
      }
    });
    tls = new ServerConnector(server, 1, 1, tlsFactory, alpn, tlsHttp2, tlsHttp1);

    SelectorManager.AcceptListener counter = new SelectorManager.AcceptListener() {
      @Override
      public void onAccepted(SelectableChannel channel) {
        accepted.increment();
      }
    };
    for (ServerConnector c : new ServerConnector[] {plain, tls}) {
      c.setHost("127.0.0.1");
      c.setPort(0);
      c.setIdleTimeout(600_000);
      c.setAcceptQueueSize(1024);
      c.getSelectorManager().addEventListener(counter);
      server.addConnector(c);
    }
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return answer(request, response, callback);
      }
    });
    server.start();
  }

  private boolean answer(Request request, Response response, Callback callback) throws Exception {
    used.add(request.getConnectionMetaData().getRemoteSocketAddress());
    (request.getConnectionMetaData().getHttpVersion().getVersion() >= 20 ? h2 : h1).increment();
    byte[] body;
    try (InputStream in = Content.Source.asInputStream(request)) {
      body = in.readAllBytes();
    }
    HttpFields.Mutable headers = response.getHeaders();
    headers.put("x-request-id", "req_bench0123456789");
    headers.put("openai-processing-ms", "42");
    headers.put("x-ratelimit-remaining-requests", "9999");
    if (!Wire.PATH.equals(request.getHttpURI().getPath())) {
      response.setStatus(404);
      response.write(true, ByteBuffer.allocate(0), callback);
      return true;
    }
    if (!Wire.wantsStream(body)) {
      headers.put(HttpHeader.CONTENT_TYPE, "application/json");
      headers.put(HttpHeader.CONTENT_LENGTH, Wire.COMPLETION.length);
      response.write(true, ByteBuffer.wrap(Wire.COMPLETION), callback);
      return true;
    }
    headers.put(HttpHeader.CONTENT_TYPE, "text/event-stream");
    headers.put(HttpHeader.CACHE_CONTROL, "no-cache");
    byte[][] events = Wire.EVENTS;
    for (int i = 0; i < events.length - 1; i++) {
      try (Blocker.Callback written = Blocker.callback()) {
        response.write(false, ByteBuffer.wrap(events[i]), written);
        written.block();
      }
    }
    response.write(true, ByteBuffer.wrap(events[events.length - 1]), callback);
    return true;
  }

  int plainPort() {
    return plain.getLocalPort();
  }

  int tlsPort() {
    return tls.getLocalPort();
  }

  /** {@code ACCEPTED HANDSHAKES USED H1 H2}; starts a new count of the connections used. */
  String stats() {
    Set<SocketAddress> window = used;
    used = ConcurrentHashMap.newKeySet();
    return accepted.sum() + " " + handshakes.sum() + " " + window.size() + " " + h1.sum() + " " + h2.sum();
  }

  void stop() throws Exception {
    server.stop();
  }

  public static void main(String[] args) throws Exception {
    FakeUpstream upstream = new FakeUpstream(args[0], args[1]);
    System.out.println("ports " + upstream.plainPort() + " " + upstream.tlsPort());
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.equals("stats")) {
        System.out.println("stats " + upstream.stats());
        System.out.flush();
      }
    }
    upstream.stop();
    System.exit(0);
  }
}
