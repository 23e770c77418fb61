package dev.switchboard.proxy.upstream;

import dev.switchboard.proxy.memory.MemoryBudget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads newline-delimited JSON (Ollama's stream) line by line as the bytes arrive, within the stream limits. */
final class LineReader {
  private final InputStream in;
  private final Runnable onRead;
  private final int maxLine;
  private final long maxTotal;
  private final MemoryBudget.Lease lease;
  private final byte[] buf = new byte[8192];
  private int pos;
  private int end;
  private long total;

  LineReader(InputStream in, Runnable onRead, int maxLine, long maxTotal, MemoryBudget.Lease lease) {
    this.in = in;
    this.onRead = onRead;
    this.maxLine = maxLine;
    this.maxTotal = maxTotal;
    this.lease = lease;
  }

  /** The next line without its terminator, or null at the end of the stream. */
  String next() throws IOException {
    ByteArrayOutputStream line = null;
    long reserved = 0;
    try {
      while (true) {
        for (int i = pos; i < end; i++) {
          if (buf[i] == '\n') {
            String text = line == null
                ? new String(buf, pos, i - pos, StandardCharsets.UTF_8)
                : append(line, i).toString(StandardCharsets.UTF_8);
            pos = i + 1;
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
          }
        }
        if (line == null) {
          line = new ByteArrayOutputStream();
        }
        line.write(buf, pos, end - pos);
        if (line.size() > maxLine) {
          throw new StreamLimitReached("sent a stream line longer than the gateway's limit of " + maxLine + " bytes", false);
        }
        // A line longer than one read is paid for as it grows (twice: the buffer and its copy).
        long owed = 2L * line.size() - reserved;
        if (owed > 0) {
          try {
            lease.reserve(owed);
          } catch (MemoryBudget.Exhausted e) {
            throw new StreamLimitReached(e.getMessage(), true);
          }
          reserved += owed;
        }
        int n = in.read(buf, 0, buf.length);
        onRead.run();
        if (n < 0) {
          pos = end = 0;
          return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
        }
        total += n;
        if (total > maxTotal) {
          throw new StreamLimitReached("sent more than the gateway's limit of " + maxTotal + " bytes in one stream", false);
        }
        pos = 0;
        end = n;
      }
    } finally {
      lease.release(reserved);
    }
  }

  private ByteArrayOutputStream append(ByteArrayOutputStream line, int upTo) {
    line.write(buf, pos, upTo - pos);
    return line;
  }
}
