package dev.switchboard.proxy.testing;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider stand-in: a real HTTP server on loopback that records every request it receives and
 * answers with scripted behaviours, in order (the last one repeats). Behaviours speak the wire
 * formats byte for byte, including faults: error statuses, hangs, streams paced or cut short.
 */
public final class FakeUpstream implements AutoCloseable {
  /** A request as the provider saw it. */
  public record Received(String method, String path, String query, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.getOrDefault(name.toLowerCase(), "");
    }
  }

  /** One scripted answer. */
  @FunctionalInterface
  public interface Behaviour {
    void answer(ServerRequest req, ServerResponse res, Received received) throws Exception;
  }

  private final WebServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Behaviour> script = new ConcurrentLinkedQueue<>();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private volatile Behaviour last = json(200, "{}");
  private final AtomicInteger hits = new AtomicInteger();

  private final java.util.Set<String> peers = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final boolean tls;

  private FakeUpstream(int port, io.helidon.common.tls.Tls tls) {
    this.tls = tls != null;
    var builder = WebServer.builder().host("127.0.0.1").port(port)
        .routing(r -> r.any(this::handle));
    if (tls != null) {
      builder.tls(tls);
    }
    server = builder.build().start();
  }

  private FakeUpstream(int port) {
    this(port, null);
  }

  public static FakeUpstream start() {
    return new FakeUpstream(0);
  }

  /** Behind TLS (see {@link TestPki} for certificates); {@link #url()} is then https://127.0.0.1:port. */
  public static FakeUpstream startTls(io.helidon.common.tls.Tls tls) {
    return new FakeUpstream(0, tls);
  }

  /** Serves new connections with other certificates (or another client CA); open connections keep theirs. */
  public void reloadTls(io.helidon.common.tls.Tls tls) {
    server.reloadTls(tls);
  }

  /** How many connections (distinct client ports) have sent requests: with TLS, one handshake each. */
  public int connections() {
    return peers.size();
  }

  /** On a given port, for tests that stop an upstream and bring it back. */
  public static FakeUpstream start(int port) {
    return new FakeUpstream(port);
  }

  public int port() {
    return server.port();
  }

  /** Answers the next requests with these behaviours, in order; the last keeps answering. */
  public FakeUpstream then(Behaviour... behaviours) {
    for (Behaviour b : behaviours) {
      script.add(b);
    }
    return this;
  }

  public String url() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + server.port();
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public Received last() {
    return received.get(received.size() - 1);
  }

  public int hits() {
    return hits.get();
  }

  /** Things the behaviours noted, for example that the client went away. */
  public List<String> events() {
    return List.copyOf(events);
  }

  public void note(String event) {
    events.add(event);
  }

  private void handle(ServerRequest req, ServerResponse res) throws Exception {
    hits.incrementAndGet();
    peers.add(String.valueOf(req.remotePeer().address()));
    Map<String, String> headers = new LinkedHashMap<>();
    req.headers().forEach(h -> headers.put(h.name().toLowerCase(), h.get()));
    byte[] body = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
    Received r = new Received(req.prologue().method().text(), req.path().path(), req.query().rawValue(), headers,
        new String(body, StandardCharsets.UTF_8));
    received.add(r);
    Behaviour next = script.poll();
    if (next != null) {
      last = next;
    } else {
      next = last;
    }
    next.answer(req, res, r);
  }

  @Override
  public void close() {
    server.stop();
  }

  // ---- behaviours ----

  public static Behaviour json(int status, String body, String... headerPairs) {
    return (req, res, r) -> {
      res.status(status);
      res.header(HeaderNames.CONTENT_TYPE, "application/json");
      for (int i = 0; i + 1 < headerPairs.length; i += 2) {
        res.header(headerPairs[i], headerPairs[i + 1]);
      }
      res.send(body.getBytes(StandardCharsets.UTF_8));
    };
  }

  public static Behaviour text(int status, String contentType, String body) {
    return (req, res, r) -> {
      res.status(status);
      res.header(HeaderNames.CONTENT_TYPE, contentType);
      res.send(body.getBytes(StandardCharsets.UTF_8));
    };
  }

  /** An OpenAI chat completion with this content and usage. */
  public static Behaviour completion(String content) {
    return json(200, Wire.completion(content));
  }

  /** Raw SSE frames, each written and flushed separately, {@code gap} apart. */
  public static Behaviour sse(Duration gap, String... frames) {
    return sse(gap, List.of(frames));
  }

  public static Behaviour sse(Duration gap, List<String> frames) {
    return sse(gap, frames, new ArrayList<>());
  }

  /** As {@link #sse(Duration, List)}, adding to {@code writeStarts} the nanoTime just before each frame is written. */
  public static Behaviour sse(Duration gap, List<String> frames, List<Long> writeStarts) {
    return (req, res, r) -> {
      res.status(200);
      res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
      OutputStream out = res.outputStream();
      boolean first = true;
      for (String frame : frames) {
        if (!first && !gap.isZero()) {
          Thread.sleep(gap);
        }
        first = false;
        writeStarts.add(System.nanoTime());
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      out.close();
    };
  }

  /** Streams frames, then stops answering without ending the response until {@code silence} passes. */
  public static Behaviour sseThenSilence(Duration silence, FakeUpstream self, String... frames) {
    return (req, res, r) -> {
      res.status(200);
      res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
      OutputStream out = res.outputStream();
      try {
        for (String frame : frames) {
          out.write(frame.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
        Thread.sleep(silence);
        out.write(Wire.done().getBytes(StandardCharsets.UTF_8));
        out.close();
      } catch (IOException | UncheckedIOException e) {
        self.note("client went away");
      }
    };
  }

  /** Streams frames forever, {@code gap} apart, noting when the reader disconnects. */
  public static Behaviour endlessStream(Duration gap, FakeUpstream self) {
    return (req, res, r) -> {
      res.status(200);
      res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
      OutputStream out = res.outputStream();
      try {
        for (int i = 0; i < 10_000; i++) {
          out.write(Wire.chunk("tick" + i + " ").getBytes(StandardCharsets.UTF_8));
          out.flush();
          Thread.sleep(gap);
        }
      } catch (IOException | UncheckedIOException e) {
        self.note("client went away");
      }
    };
  }

  /** Writes these frames and then drops the connection in the middle of the response. */
  public static Behaviour cutAfter(String... frames) {
    return (req, res, r) -> {
      res.status(200);
      res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
      OutputStream out = res.outputStream();
      for (String frame : frames) {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      // Ending the handler without closing a chunked response makes Helidon abort the connection.
      throw new IOException("simulated crash in the middle of a stream");
    };
  }

  /**
   * Writes a whole streamed body in pieces of {@code piece} bytes, flushing each: JSON objects end
   * up split across network reads, and short events share one.
   */
  public static Behaviour split(String contentType, String body, int piece) {
    return (req, res, r) -> {
      res.status(200);
      res.header(HeaderNames.CONTENT_TYPE, contentType);
      OutputStream out = res.outputStream();
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < bytes.length; i += piece) {
        out.write(bytes, i, Math.min(piece, bytes.length - i));
        out.flush();
      }
      out.close();
    };
  }

  /** Waits, then answers (or finds the client gone). */
  public static Behaviour hang(Duration duration, Behaviour then) {
    return (req, res, r) -> {
      Thread.sleep(duration);
      then.answer(req, res, r);
    };
  }

  /** The frames of a streamed completion of these words, with finish and usage chunks. */
  public static List<String> streamOf(String... words) {
    List<String> frames = new ArrayList<>();
    frames.add(Wire.roleChunk());
    for (String w : words) {
      frames.add(Wire.chunk(w));
    }
    frames.add(Wire.finishChunk("stop"));
    frames.add(Wire.usageChunk(7, words.length));
    frames.add(Wire.done());
    return frames;
  }

  /** Helps a test wait without sleeping on a guess. */
  public static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }
}
