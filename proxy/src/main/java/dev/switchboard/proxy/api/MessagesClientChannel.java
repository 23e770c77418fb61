package dev.switchboard.proxy.api;

import dev.switchboard.proxy.dialect.anthropic.MessagesAnswers;
import dev.switchboard.proxy.dialect.anthropic.MessagesErrors;
import dev.switchboard.proxy.dialect.anthropic.MessagesRequest;
import dev.switchboard.proxy.dialect.anthropic.MessagesStreamEncoder;
import dev.switchboard.proxy.error.ApiError;
import dev.switchboard.proxy.exchange.Dialect;
import dev.switchboard.proxy.routing.ClientChannel;
import dev.switchboard.proxy.upstream.ByteSlice;
import dev.switchboard.proxy.upstream.SseReader;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes answers to an Anthropic Messages client: an Anthropic backend's own answer as it came,
 * anything else encoded from the canonical shape. A translated stream that goes quiet gets a
 * {@code ping} event (every 10 s by default), as Anthropic's own streams do, so proxies and
 * clients in between do not take the silence for a dead connection.
 */
final class MessagesClientChannel implements ClientChannel {
  static final HeaderName DROPPED = HeaderNames.create("x-switchboard-dropped");
  private static final byte[] PING = "event: ping\ndata: {\"type\":\"ping\"}\n\n".getBytes(StandardCharsets.US_ASCII);

  private final ServerResponse res;
  private final MessagesRequest request;
  private final Duration pingEvery;
  private final ReentrantLock writing = new ReentrantLock();
  private final List<String> events = new ArrayList<>();
  private MessagesStreamEncoder encoder;
  private OutputStream out;
  private volatile long lastWrite;
  private volatile boolean closed;
  private Thread pinger;

  MessagesClientChannel(ServerResponse res, MessagesRequest request, Duration pingEvery) {
    this.res = res;
    this.request = request;
    this.pingEvery = pingEvery;
  }

  @Override
  public void sendCompletion(Served served, byte[] body) throws IOException {
    headers(served);
    res.header(HeaderNames.CONTENT_TYPE, HttpResponses.JSON);
    byte[] answer = served.dialect() == Dialect.ANTHROPIC_MESSAGES ? body : MessagesAnswers.encode(body, request.model());
    try {
      res.send(answer);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public void openStream(Served served) throws IOException {
    headers(served);
    if (served.dialect() != Dialect.ANTHROPIC_MESSAGES) {
      encoder = new MessagesStreamEncoder(request.model());
    }
    res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    res.header(HeaderNames.create("x-accel-buffering"), "no");
    try {
      out = res.outputStream();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public void sendEvent(ByteSlice event) throws IOException {
    if (encoder == null) {
      write(event.array(), event.offset(), event.length());
      return;
    }
    String json = SseReader.data(event);
    if (json == null || json.isBlank()) {
      return;
    }
    events.clear();
    encoder.chunk(json, events);
    writeAll(events);
    if (pinger == null) {
      pinger = Thread.ofVirtual().name("messages-ping").start(this::ping);
    }
  }

  @Override
  public void endStream() throws IOException {
    try {
      if (encoder != null) {
        events.clear();
        encoder.end(events);
        writeAll(events);
      }
      close();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public void abortStream(ApiError error) {
    try {
      byte[] bytes = MessagesErrors.sseEvent(error);
      write(bytes, 0, bytes.length);
      close();
    } catch (IOException | RuntimeException ignored) {
      // the client may be gone already; there is nobody left to tell
    }
  }

  private void headers(Served served) {
    HttpResponses.routing(res, served);
    if (served.dialect() == Dialect.CANONICAL) {
      List<String> dropped = new ArrayList<>(request.dropped());
      if (!request.betas().isEmpty()) {
        for (String beta : request.betas().split(",")) {
          if (!beta.isBlank()) {
            dropped.add("anthropic-beta " + beta.trim());
          }
        }
      }
      if (!dropped.isEmpty()) {
        res.header(DROPPED, String.join(", ", dropped));
      }
    }
  }

  private void writeAll(List<String> list) throws IOException {
    for (String e : list) {
      byte[] bytes = e.getBytes(StandardCharsets.UTF_8);
      write(bytes, 0, bytes.length);
    }
  }

  private void write(byte[] bytes, int offset, int length) throws IOException {
    writing.lock();
    try {
      out.write(bytes, offset, length);
      out.flush();
      lastWrite = System.nanoTime();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      writing.unlock();
    }
  }

  private void close() throws IOException {
    closed = true;
    if (pinger != null) {
      pinger.interrupt();
    }
    writing.lock();
    try {
      out.close();
    } finally {
      writing.unlock();
    }
  }

  private void ping() {
    long every = pingEvery.toNanos();
    try {
      while (!closed) {
        long idle = System.nanoTime() - lastWrite;
        if (idle < every) {
          Thread.sleep(Duration.ofNanos(every - idle));
          continue;
        }
        writing.lock();
        try {
          if (closed) {
            return;
          }
          out.write(PING);
          out.flush();
          lastWrite = System.nanoTime();
        } finally {
          writing.unlock();
        }
      }
    } catch (InterruptedException | IOException | RuntimeException e) {
      // the stream ended or the client left: the request's own thread reports it
    }
  }
}
