package dev.switchboard.bench;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The fake provider the benchmarks hit: answers OpenAI chat completions with fixed bytes, as
 * fast as it can, so that it is never the bottleneck. A request can ask for a stream with
 * {@code "stream": true}, and shape it with the body fields {@code bench_chunks} (default 20) and
 * {@code bench_chunk_delay_ms} (default 0), which Switchboard passes through untouched; the model
 * name {@code bench-paced} asks for 10 ms between chunks (for gateways that drop unknown fields).
 * {@code POST /v1/messages} answers in Anthropic's format, streamed or not, for the translation case.
 */
public final class BenchUpstream implements AutoCloseable {
  private static final byte[] COMPLETION = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1731000000,"
      + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello! How can I help you today?\"},"
      + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":9,\"total_tokens\":21}}")
      .getBytes(StandardCharsets.UTF_8);
  private static final byte[] ROLE = event("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1731000000,"
      + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
  private static final byte[] TOKEN = event("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1731000000,"
      + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"token \"},\"finish_reason\":null}]}");
  private static final byte[] FINISH = event("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1731000000,"
      + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STREAM_KEY = "\"stream\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHUNKS_KEY = "\"bench_chunks\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DELAY_KEY = "\"bench_chunk_delay_ms\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PACED_MODEL = "\"bench-paced\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MESSAGE = ("{\"id\":\"msg_bench\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"bench\","
      + "\"content\":[{\"type\":\"text\",\"text\":\"Hello! How can I help you today?\"}],\"stop_reason\":\"end_turn\","
      + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":9}}").getBytes(StandardCharsets.UTF_8);
  private static final byte[] A_START = named("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench\","
      + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"bench\",\"content\":[],\"stop_reason\":null,"
      + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}");
  private static final byte[] A_BLOCK = named("content_block_start",
      "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
  private static final byte[] A_DELTA = named("content_block_delta",
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"token \"}}");
  private static final byte[] A_END = concat(named("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
      named("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
          + "\"usage\":{\"output_tokens\":20}}"),
      named("message_stop", "{\"type\":\"message_stop\"}"));

  private final WebServer server;
  /** Over TLS only: the connections (client address and port) that carried requests, each one a full handshake. */
  private final java.util.Set<String> tlsConnections = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private BenchUpstream(String host, int port, java.util.Optional<io.helidon.common.tls.Tls> tls) {
    var builder = WebServer.builder().host(host).port(port)
        .connectionOptions(o -> o.tcpNoDelay(true));
    tls.ifPresent(builder::tls);
    boolean counting = tls.isPresent();
    server = builder
        .routing(r -> r.post("/v1/chat/completions", (req, res) -> {
              if (counting) {
                tlsConnections.add(req.remotePeer().address().toString());
              }
              chat(req, res);
            })
            .post("/v1/messages", BenchUpstream::messages)
            .get("/v1/models", (req, res) -> {
              res.header(HeaderNames.CONTENT_TYPE, "application/json");
              res.send("{\"object\":\"list\",\"data\":[{\"id\":\"bench\",\"object\":\"model\"}]}");
            }))
        .build().start();
  }

  public static BenchUpstream start(String host, int port) {
    return new BenchUpstream(host, port, java.util.Optional.empty());
  }

  /** The same upstream behind TLS, presenting the bench's self-signed certificate (for 127.0.0.1 and localhost). */
  public static BenchUpstream startTls(String host, int port, dev.switchboard.bench.clients.SelfSignedCert cert) throws Exception {
    java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
    try (InputStream in = java.nio.file.Files.newInputStream(cert.keystore())) {
      store.load(in, cert.password().toCharArray());
    }
    java.security.PrivateKey key = (java.security.PrivateKey) store.getKey("upstream", cert.password().toCharArray());
    return new BenchUpstream(host, port, java.util.Optional.of(io.helidon.common.tls.Tls.builder().privateKey(key)
        .privateKeyCertChain(java.util.List.of(cert.certificate())).build()));
  }

  /** Over TLS: how many connections have carried requests so far (each began with a full handshake). */
  public int tlsConnections() {
    return tlsConnections.size();
  }

  public int port() {
    return server.port();
  }

  private static void chat(ServerRequest req, ServerResponse res) throws IOException, InterruptedException {
    byte[] body;
    try (InputStream in = req.content().inputStream()) {
      body = in.readAllBytes();
    }
    if (!isTrue(body, STREAM_KEY)) {
      res.header(HeaderNames.CONTENT_TYPE, "application/json");
      res.send(COMPLETION);
      return;
    }
    int chunks = number(body, CHUNKS_KEY, 20);
    int delay = number(body, DELAY_KEY, indexOf(body, PACED_MODEL) >= 0 ? 10 : 0);
    res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
    try (OutputStream out = res.outputStream()) {
      out.write(ROLE);
      out.flush();
      for (int i = 0; i < chunks; i++) {
        if (delay > 0) {
          Thread.sleep(delay);
        }
        out.write(TOKEN);
        out.flush();
      }
      out.write(FINISH);
      out.write(DONE);
    }
  }

  /** Anthropic's Messages API: a message, or its event stream of 20 text deltas. */
  private static void messages(ServerRequest req, ServerResponse res) throws IOException {
    byte[] body;
    try (InputStream in = req.content().inputStream()) {
      body = in.readAllBytes();
    }
    if (!isTrue(body, STREAM_KEY)) {
      res.header(HeaderNames.CONTENT_TYPE, "application/json");
      res.send(MESSAGE);
      return;
    }
    res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
    try (OutputStream out = res.outputStream()) {
      out.write(A_START);
      out.write(A_BLOCK);
      out.flush();
      for (int i = 0; i < 20; i++) {
        out.write(A_DELTA);
        out.flush();
      }
      out.write(A_END);
    }
  }

  private static byte[] named(String event, String json) {
    return ("event: " + event + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      all.writeBytes(p);
    }
    return all.toByteArray();
  }

  private static boolean isTrue(byte[] body, byte[] key) {
    int at = indexOf(body, key);
    if (at < 0) {
      return false;
    }
    int i = at + key.length;
    while (i < body.length && (body[i] == ' ' || body[i] == ':')) {
      i++;
    }
    return i < body.length && body[i] == 't';
  }

  private static int number(byte[] body, byte[] key, int fallback) {
    int at = indexOf(body, key);
    if (at < 0) {
      return fallback;
    }
    int i = at + key.length;
    while (i < body.length && (body[i] == ' ' || body[i] == ':')) {
      i++;
    }
    int n = 0;
    boolean any = false;
    while (i < body.length && body[i] >= '0' && body[i] <= '9') {
      n = n * 10 + (body[i++] - '0');
      any = true;
    }
    return any ? n : fallback;
  }

  private static int indexOf(byte[] body, byte[] key) {
    // Bodies are scanned from the end: the harness puts its fields last, and a 1 MiB prompt
    // should not be searched for them.
    outer:
    for (int i = body.length - key.length; i >= 0; i--) {
      for (int j = 0; j < key.length; j++) {
        if (body[i + j] != key[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] event(String json) {
    return ("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop();
  }

  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8089;
    BenchUpstream upstream = start("127.0.0.1", port);
    System.out.println("bench upstream on http://127.0.0.1:" + upstream.port() + "/v1");
    Thread.currentThread().join();
  }
}
