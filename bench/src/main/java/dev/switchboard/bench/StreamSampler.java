package dev.switchboard.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures streamed answers one at a time over a raw keep-alive HTTP/1.1 connection (no client
 * library between the clock and the socket): time to first byte of the body, and the gaps
 * between events, which show whether chunks are forwarded as they come or held back.
 */
final class StreamSampler {
  /** Per-request timings in nanoseconds. */
  record Sample(long firstByteNanos, long[] eventArrivals) {}

  private StreamSampler() {}

  static List<Sample> sample(String host, int port, String path, byte[] body, int count) throws IOException {
    return sample(host, port, path, java.util.Map.of(), body, count);
  }

  static List<Sample> sample(String host, int port, String path, java.util.Map<String, String> headers, byte[] body, int count)
      throws IOException {
    StringBuilder extra = new StringBuilder();
    headers.forEach((k, v) -> extra.append(k).append(": ").append(v).append("\r\n"));
    List<Sample> samples = new ArrayList<>();
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 5000);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: application/json\r\n" + extra
          + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < count; i++) {
        long start = System.nanoTime();
        out.write(head);
        out.write(body);
        out.flush();
        samples.add(readChunkedStream(in, start));
      }
    }
    return samples;
  }

  /** Reads one chunked text/event-stream response to its last chunk, timing each event. */
  private static Sample readChunkedStream(InputStream in, long start) throws IOException {
    String statusLine = readLine(in);
    if (!statusLine.contains(" 200")) {
      throw new IOException("unexpected answer: " + statusLine);
    }
    String line;
    boolean chunked = false;
    while (!(line = readLine(in)).isEmpty()) {
      if (line.toLowerCase().startsWith("transfer-encoding:") && line.toLowerCase().contains("chunked")) {
        chunked = true;
      }
    }
    if (!chunked) {
      throw new IOException("expected a chunked stream");
    }
    long firstByte = 0;
    List<Long> arrivals = new ArrayList<>();
    while (true) {
      int size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16);
      if (size == 0) {
        readLine(in);
        break;
      }
      byte[] data = in.readNBytes(size);
      long now = System.nanoTime();
      if (firstByte == 0) {
        firstByte = now - start;
      }
      int events = count(data);
      for (int e = 0; e < events; e++) {
        arrivals.add(now - start);
      }
      readLine(in);
    }
    return new Sample(firstByte, arrivals.stream().mapToLong(Long::longValue).toArray());
  }

  private static int count(byte[] data) {
    int n = 0;
    for (int i = 0; i + 1 < data.length; i++) {
      if (data[i] == '\n' && data[i + 1] == '\n') {
        n++;
      }
    }
    return n;
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder out = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        out.append((char) c);
      }
    }
    if (c == -1 && out.isEmpty()) {
      throw new IOException("connection closed");
    }
    return out.toString();
  }

  static double percentileMillis(long[] nanos, double percentile) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
  }
}
