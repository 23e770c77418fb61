package dev.switchboard.proxy.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads newline-delimited JSON (Ollama's stream) line by line as the bytes arrive. */
final class LineReader {
  private final InputStream in;
  private final Runnable onRead;
  private final byte[] buf = new byte[8192];
  private int pos;
  private int end;

  LineReader(InputStream in, Runnable onRead) {
    this.in = in;
    this.onRead = onRead;
  }

  /** The next line without its terminator, or null at the end of the stream. */
  String next() throws IOException {
    ByteArrayOutputStream line = null;
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
      if (line.size() > 16 * 1024 * 1024) {
        throw new IOException("a line longer than 16 MiB");
      }
      int n = in.read(buf, 0, buf.length);
      onRead.run();
      if (n < 0) {
        pos = end = 0;
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
      }
      pos = 0;
      end = n;
    }
  }

  private ByteArrayOutputStream append(ByteArrayOutputStream line, int upTo) {
    line.write(buf, pos, upTo - pos);
    return line;
  }
}
