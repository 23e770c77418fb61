package dev.switchboard.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream that answers with raw bytes, for what a well-behaved HTTP server library would
 * never send: a length it does not keep to, a body without end, thousands of headers, a
 * connection kept open after the last event, a socket dropped mid-chunk. Every connection runs
 * the same script; a script ends by returning (the socket is closed) or by throwing.
 */
public final class RawUpstream implements AutoCloseable {
  /** What a script sees of the request. */
  public record Request(String head, String body) {
    public String path() {
      String line = head.substring(0, Math.max(0, head.indexOf("\r\n")));
      String[] parts = line.split(" ");
      return parts.length > 1 ? parts[1] : "";
    }
  }

  /** One answer, written to the raw socket. */
  @FunctionalInterface
  public interface Script {
    void answer(Request request, OutputStream out) throws Exception;
  }

  private final ServerSocket server;
  private final Script script;
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean closed;

  private RawUpstream(Script script) throws IOException {
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    this.script = script;
    Thread.ofVirtual().name("raw-upstream-" + server.getLocalPort()).start(this::accept);
  }

  public static RawUpstream start(Script script) {
    try {
      return new RawUpstream(script);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        connections.incrementAndGet();
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setSoTimeout(60_000);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      // One request per connection (scripts say Connection: close): a script that returns has said all it will say.
      Request request = read(in);
      if (request != null) {
        script.answer(request, out);
        out.flush();
      }
    } catch (Exception e) {
      // the proxy hung up, or the script dropped the connection on purpose
    }
  }

  /** Reads one request (head, and a body by Content-Length or chunks); null at the end of the connection. */
  private static Request read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last4 = 0;
    int b;
    while (last4 != 0x0d0a0d0a && (b = in.read()) >= 0) {
      head.write(b);
      last4 = (last4 << 8) | b;
      if (head.size() > 1024 * 1024) {
        throw new IOException("request head too large");
      }
    }
    if (last4 != 0x0d0a0d0a) {
      return null;
    }
    String headText = head.toString(StandardCharsets.ISO_8859_1);
    String lower = headText.toLowerCase(Locale.ROOT);
    byte[] body = new byte[0];
    int cl = lower.indexOf("\r\ncontent-length:");
    if (cl >= 0) {
      int end = lower.indexOf("\r\n", cl + 2);
      int length = Integer.parseInt(headText.substring(cl + 17, end).trim());
      body = in.readNBytes(length);
    } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      while (true) {
        String size = line(in);
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
          line(in);
          break;
        }
        all.write(in.readNBytes(n));
        line(in);
      }
      body = all.toByteArray();
    }
    return new Request(headText, new String(body, StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder s = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        s.append((char) b);
      }
    }
    return s.toString();
  }

  // ---- pieces scripts are made of ----

  /** Writes text as ISO-8859-1 bytes (what a response head is) and flushes. */
  public static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** One chunk of a chunked body. */
  public static void chunk(OutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  public static void lastChunk(OutputStream out) throws IOException {
    write(out, "0\r\n\r\n");
  }

  /** The head of a chunked event stream. */
  public static void streamHead(OutputStream out) throws IOException {
    write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
  }

  /** A whole JSON answer. */
  public static void json(OutputStream out, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    write(out, "HTTP/1.1 " + status + " X\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n");
    out.write(bytes);
    out.flush();
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
