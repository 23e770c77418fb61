package dev.switchboard.bench.clients;

import java.io.InputStream;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12's {@link HttpClient} as the proxy would use it from a virtual thread: {@code send} with
 * an {@link InputStreamResponseListener}, wait for the head, read the body through its stream.
 * HTTP/1.1 or HTTP/2 (TLS with ALPN h2) transports; no redirects, no content decoders (so no
 * accept-encoding is added), connections kept for ten minutes.
 */
public final class JettyClients {
  private JettyClients() {}

  public static UpstreamClient create(String name, boolean http2, SelfSignedCert cert) throws Exception {
    SslContextFactory.Client ssl = new SslContextFactory.Client();
    ssl.setTrustStore(cert.trustStore());
    ssl.setEndpointIdentificationAlgorithm("HTTPS");
    ClientConnector connector = new ClientConnector();
    connector.setSelectors(1);
    connector.setSslContextFactory(ssl);
    connector.setConnectTimeout(java.time.Duration.ofSeconds(5));
    QueuedThreadPool threads = new QueuedThreadPool(200, 4);
    threads.setName(name);
    connector.setExecutor(threads);
    HttpClientTransport transport = http2 ? new HttpClientTransportOverHTTP2(new HTTP2Client(connector))
        : new HttpClientTransportOverHTTP(connector);
    HttpClient client = new HttpClient(transport);
    client.setExecutor(threads);
    client.setFollowRedirects(false);
    client.setMaxConnectionsPerDestination(1024);
    client.setMaxRequestsQueuedPerDestination(4096);
    client.setIdleTimeout(600_000);
    client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, Wire.USER_AGENT));
    client.getContentDecoderFactories().clear();
    client.start();
    return new UpstreamClient() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String protocol() {
        return http2 ? "HTTP/2" : "HTTP/1.1";
      }

      @Override
      public boolean plain() {
        return !http2;
      }

      @Override
      public void call(URI uri, boolean stream, Scratch s) throws Exception {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        client.newRequest(uri)
            .method(HttpMethod.POST)
            .headers(h -> h.put(HttpHeader.AUTHORIZATION, Wire.AUTHORIZATION)
                .put(HttpHeader.ACCEPT, stream ? "text/event-stream" : "application/json"))
            .body(new BytesRequestContent("application/json", stream ? Wire.STREAM_REQUEST : Wire.CHAT_REQUEST))
            .idleTimeout(60, TimeUnit.SECONDS)
            .send(listener);
        Response response = listener.get(60, TimeUnit.SECONDS);
        s.status = response.getStatus();
        try (InputStream in = listener.getInputStream()) {
          UpstreamClient.read(in, response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH), stream, s);
        }
        // The stream ends before the exchange completes and its connection goes back to the pool; a
        // caller that sends its next request in between makes the pool open another connection.
        listener.await(60, TimeUnit.SECONDS);
      }

      @Override
      public void close() throws Exception {
        client.stop();
      }
    };
  }
}
