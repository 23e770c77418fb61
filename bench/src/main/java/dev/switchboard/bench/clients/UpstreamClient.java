package dev.switchboard.bench.clients;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * One candidate for the proxy's upstream side. A call does what the proxy's hot path does: POST
 * {@link Wire#CHAT_REQUEST} (or {@link Wire#STREAM_REQUEST}) with authorization, content-type and
 * accept headers, then read the status and the body through an {@link InputStream}: the whole
 * body into an array of its content length, or the stream incrementally as its events arrive.
 */
public interface UpstreamClient extends AutoCloseable {
  /** Short name for tables, e.g. {@code helidon-4.3.0}. */
  String name();

  /** "HTTP/1.1" or "HTTP/2". */
  String protocol();

  /** Whether the candidate speaks plain HTTP too (HTTP/2 candidates here are TLS only, by ALPN). */
  default boolean plain() {
    return true;
  }

  /** Whether the candidate is measured on streams (Helidon's HTTP/2 client stalls on them: see docs/benchmarks.md). */
  default boolean streams() {
    return true;
  }

  void call(URI uri, boolean stream, Scratch scratch) throws Exception;

  @Override
  void close() throws Exception;

  /** A caller's reusable state: its read buffer, and what the last call read. */
  final class Scratch {
    final byte[] buffer = new byte[8192];
    /** When set (in tests), the body's bytes are copied here. */
    public ByteArrayOutputStream capture;
    public int status;
    public long bytes;
    /** Times a streaming read returned data: more than one means the stream was read as it came. */
    public int reads;
    public byte[] body;

    void reset() {
      status = 0;
      bytes = 0;
      reads = 0;
      body = null;
    }
  }

  /** Reads an answer as the proxy does: a whole body into an array of its length, or a stream chunk by chunk. */
  static void read(InputStream in, long contentLength, boolean stream, Scratch s) throws IOException {
    if (!stream) {
      byte[] body = contentLength >= 0 ? in.readNBytes((int) contentLength) : in.readAllBytes();
      // As the proxy does: one more read tells whether the peer sent more than it said (and lets the
      // client see the end of the body, which some need before they reuse the connection).
      if (contentLength >= 0 && in.read() >= 0) {
        throw new IOException("the answer is longer than its content-length");
      }
      s.body = body;
      s.bytes = body.length;
      if (s.capture != null) {
        s.capture.writeBytes(body);
      }
      return;
    }
    for (int n; (n = in.read(s.buffer)) >= 0; ) {
      if (n > 0) {
        s.bytes += n;
        s.reads++;
        if (s.capture != null) {
          s.capture.write(s.buffer, 0, n);
        }
      }
    }
  }

  static void accept(Scratch s, byte[] body) {
    s.body = body;
    s.bytes = body.length;
    if (s.capture != null) {
      s.capture.writeBytes(body);
    }
  }
}
