package dev.switchboard.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 as bytes on a socket, for what no client library would send: ambiguous framing,
 * malformed chunks, lies about lengths, connections abandoned half way.
 */
public final class RawHttp {
  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");

  /** What came back on one connection: every byte until the server closed it, or until the wait ran out. */
  public record Exchange(String text, boolean closedByServer) {
    /** The status of every response on the connection, in order. */
    public List<Integer> statuses() {
      List<Integer> statuses = new ArrayList<>();
      Matcher m = STATUS_LINE.matcher(text);
      while (m.find()) {
        statuses.add(Integer.parseInt(m.group(1)));
      }
      return statuses;
    }

    public String body() {
      int at = text.indexOf("\r\n\r\n");
      return at < 0 ? "" : text.substring(at + 4);
    }
  }

  private RawHttp() {}

  /** Sends {@code request} and reads until the server closes the connection or {@code wait} passes without a byte. */
  public static Exchange send(int port, byte[] request, Duration wait) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout((int) wait.toMillis());
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      boolean closed = false;
      try {
        int n;
        while ((n = in.read(buf)) >= 0) {
          got.write(buf, 0, n);
          if (got.size() > 4 * 1024 * 1024) {
            break;
          }
        }
        closed = true;
      } catch (SocketTimeoutException e) {
        // the server kept the connection open
      } catch (IOException e) {
        closed = true; // reset: closed all the same
      }
      return new Exchange(got.toString(StandardCharsets.ISO_8859_1), closed);
    } catch (IOException e) {
      throw new AssertionError("cannot reach 127.0.0.1:" + port, e);
    }
  }

  public static Exchange send(int port, String request, Duration wait) {
    return send(port, request.getBytes(StandardCharsets.ISO_8859_1), wait);
  }

  /** Opens a connection, writes {@code prefix}, and leaves it open: the caller closes it (or abandons it). */
  public static Socket open(int port, byte[] prefix) {
    try {
      Socket s = new Socket();
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.getOutputStream().write(prefix);
      s.getOutputStream().flush();
      return s;
    } catch (IOException e) {
      throw new AssertionError("cannot reach 127.0.0.1:" + port, e);
    }
  }

  public static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
