package dev.switchboard.proxy.upstream;

import dev.switchboard.proxy.memory.MemoryBudget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a server-sent event stream into complete events as they arrive: each {@link #next()}
 * returns one event (up to and including its blank line) as soon as its last byte has been read,
 * however the bytes were split across network reads. Events are slices of an internal buffer,
 * valid until the next call. Handles {@code \n}, {@code \r\n} and {@code \r} line ends.
 */
public final class SseReader {
  private static final int FIRST_BUFFER = 8192;

  private final InputStream in;
  private final Runnable onRead;
  private final int maxEvent;
  private final long maxTotal;
  private final MemoryBudget.Lease lease;
  private byte[] buf = new byte[FIRST_BUFFER];
  private int start;
  private int end;
  private int scanned;
  private long total;
  private boolean eof;

  /** A reader with the default limits and no budget to pay from (for tests and tools). */
  public SseReader(InputStream in, Runnable onRead) {
    this(in, onRead, UpstreamLimits.DEFAULTS.maxEventBytes(), UpstreamLimits.DEFAULTS.maxStreamBytes(),
        new MemoryBudget(Long.MAX_VALUE).lease());
  }

  /**
   * @param onRead called after every read from the network, to reset an idle timer
   * @param maxEvent the largest event; a larger one ends the stream
   * @param maxTotal the most bytes the whole stream may carry
   * @param lease pays for the buffer's growth beyond its first 8 KiB
   */
  public SseReader(InputStream in, Runnable onRead, int maxEvent, long maxTotal, MemoryBudget.Lease lease) {
    this.in = in;
    this.onRead = onRead;
    this.maxEvent = maxEvent;
    this.maxTotal = maxTotal;
    this.lease = lease;
  }

  /**
   * The next complete event, or null at the end of the stream. Bytes after the last blank line
   * at the end of the stream are returned as a final event only if they hold more than space.
   */
  public ByteSlice next() throws IOException {
    while (true) {
      int boundary = findBoundary();
      if (boundary >= 0) {
        ByteSlice event = new ByteSlice(buf, start, boundary - start);
        start = boundary;
        scanned = boundary;
        return event;
      }
      if (eof) {
        if (hasContent(start, end)) {
          ByteSlice rest = new ByteSlice(buf, start, end - start);
          start = end;
          scanned = end;
          return rest;
        }
        return null;
      }
      fill();
    }
  }

  /** Whether the stream ended with bytes that did not form a complete event. */
  public boolean endedMidEvent() {
    return eof && hasContent(start, end);
  }

  private int findBoundary() {
    // Returns the index just past the blank line that ends the event starting at 'start'.
    for (int i = Math.max(scanned, start); i < end; i++) {
      byte b = buf[i];
      if (b == '\n') {
        if (i + 1 < end && buf[i + 1] == '\n') {
          return i + 2;
        }
        if (i + 2 < end && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
          return i + 3;
        }
      } else if (b == '\r') {
        if (i + 1 < end && buf[i + 1] == '\r') {
          return i + 2;
        }
        if (i + 3 < end && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
          return i + 4;
        }
      }
    }
    // Re-examine the last few bytes next time: a boundary may straddle two reads.
    scanned = Math.max(start, end - 3);
    return -1;
  }

  private void fill() throws IOException {
    if (start > 0 && start == end) {
      start = end = scanned = 0;
    } else if (end == buf.length) {
      if (start > 0) {
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        scanned -= start;
        start = 0;
      } else {
        if (buf.length >= maxEvent) {
          throw new StreamLimitReached("sent a stream event larger than the gateway's limit of " + maxEvent + " bytes", false);
        }
        int next = (int) Math.min((long) buf.length * 2, maxEvent);
        try {
          lease.reserve(next);
        } catch (MemoryBudget.Exhausted e) {
          throw new StreamLimitReached(e.getMessage(), true);
        }
        int old = buf.length;
        buf = Arrays.copyOf(buf, next);
        if (old > FIRST_BUFFER) {
          lease.release(old); // the first buffer is every stream's own cost, never reserved
        }
      }
    }
    int n = in.read(buf, end, buf.length - end);
    onRead.run();
    if (n < 0) {
      eof = true;
    } else {
      end += n;
      total += n;
      if (total > maxTotal) {
        throw new StreamLimitReached("sent more than the gateway's limit of " + maxTotal + " bytes in one stream", false);
      }
    }
  }

  private boolean hasContent(int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isWhitespace(buf[i])) {
        return true;
      }
    }
    return false;
  }

  /** The data of an event: its {@code data:} lines joined with newlines (comments and other fields dropped). */
  public static String data(ByteSlice event) {
    StringBuilder data = null;
    String text = event.utf8();
    // Scanned by hand: a regex split per event was the translated streams' biggest allocation.
    for (int start = 0, end; start < text.length(); start = next(text, end)) {
      end = lineEnd(text, start);
      String line = text.substring(start, end);
      if (line.startsWith("data:")) {
        String value = line.length() > 5 && line.charAt(5) == ' ' ? line.substring(6) : line.substring(5);
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      }
    }
    return data == null ? null : data.toString();
  }

  /** The {@code event:} name of an event, or empty. */
  public static String eventName(ByteSlice event) {
    String text = event.utf8();
    for (int start = 0, end; start < text.length(); start = next(text, end)) {
      end = lineEnd(text, start);
      if (text.startsWith("event:", start)) {
        return text.substring(start + 6, end).trim();
      }
    }
    return "";
  }

  /** Where the line starting at {@code start} ends (before its CR, LF or CRLF). */
  private static int lineEnd(String text, int start) {
    int i = start;
    while (i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
      i++;
    }
    return i;
  }

  /** Where the next line starts after a line ending at {@code end}. */
  private static int next(String text, int end) {
    if (end < text.length() && text.charAt(end) == '\r' && end + 1 < text.length() && text.charAt(end + 1) == '\n') {
      return end + 2;
    }
    return end + 1;
  }

  /** Encodes one OpenAI-style event: {@code data: <json>\n\n}. */
  public static byte[] dataEvent(String json) {
    return ("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
  }
}
