package dev.switchboard.proxy.observe;

import dev.switchboard.proxy.error.SecretMasker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * The proxy's diagnostic log: one line per event on standard error, apart from the JSON access
 * log on standard output, so a log pipeline can tell them apart. Every line is masked like every
 * other text that leaves the proxy. Repeats are rate-limited: the same kind of event (logger,
 * level, exception type, message shape) is written at most once per {@link #WINDOW_MILLIS}, and
 * the next line that gets through says how many were left out, so a flood of abandoned
 * connections cannot fill a disk or drown the events that matter. Stack traces are written only
 * for SEVERE events (a bug), and cut to {@link #MAX_TRACE_LINES} lines.
 */
public final class StandardErrorHandler extends Handler {
  static final long WINDOW_MILLIS = 10_000;
  static final int MAX_TRACE_LINES = 30;
  private static final int MAX_KINDS = 1024;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private record Window(long startMillis, int suppressed) {}

  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private final java.io.PrintStream out;

  public StandardErrorHandler() {
    this(System.err);
  }

  StandardErrorHandler(java.io.PrintStream out) {
    this.out = out;
  }

  @Override
  public void publish(LogRecord record) {
    if (record == null || !isLoggable(record)) {
      return;
    }
    String line = format(record);
    if (line != null) {
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      synchronized (out) {
        out.write(bytes, 0, bytes.length);
        out.flush();
      }
    }
  }

  /** The line to write, or null when the record is a repeat inside its window. */
  String format(LogRecord record) {
    long now = record.getMillis();
    String kind = kind(record);
    if (windows.size() > MAX_KINDS) {
      windows.clear();
    }
    int[] suppressedBefore = {0};
    boolean[] write = {false};
    windows.compute(kind, (k, w) -> {
      if (w == null || now - w.startMillis() >= WINDOW_MILLIS) {
        suppressedBefore[0] = w == null ? 0 : w.suppressed();
        write[0] = true;
        return new Window(now, 0);
      }
      return new Window(w.startMillis(), w.suppressed() + 1);
    });
    if (!write[0]) {
      return null;
    }
    StringBuilder line = new StringBuilder(160);
    line.append(TIME.format(Instant.ofEpochMilli(now))).append(' ').append(record.getLevel().getName()).append(' ')
        .append(record.getLoggerName()).append(": ").append(message(record));
    Throwable thrown = record.getThrown();
    if (thrown != null && record.getLevel().intValue() < Level.SEVERE.intValue()) {
      line.append(" (").append(thrown.getClass().getSimpleName())
          .append(thrown.getMessage() == null ? "" : ": " + thrown.getMessage()).append(')');
    }
    if (suppressedBefore[0] > 0) {
      line.append(" [").append(suppressedBefore[0]).append(" similar lines left out in the last ")
          .append(WINDOW_MILLIS / 1000).append(" s]");
    }
    String text = SecretMasker.mask(line.toString().replace('\n', ' ').replace('\r', ' '));
    if (thrown != null && record.getLevel().intValue() >= Level.SEVERE.intValue()) {
      text += "\n" + trace(thrown);
    }
    return text + "\n";
  }

  private String message(LogRecord record) {
    String message = record.getMessage() == null ? "" : record.getMessage();
    if (record.getParameters() != null && record.getParameters().length > 0 && message.contains("{")) {
      try {
        message = java.text.MessageFormat.format(message, record.getParameters());
      } catch (IllegalArgumentException e) {
        // keep the pattern as it is
      }
    }
    return message.length() > 2000 ? message.substring(0, 2000) + "..." : message;
  }

  /** What makes two records "the same event": digits and hex ids do not. */
  static String kind(LogRecord record) {
    String message = record.getMessage() == null ? "" : record.getMessage();
    String shape = message.length() > 80 ? message.substring(0, 80) : message;
    shape = shape.replaceAll("[0-9a-f]{8,}", "#").replaceAll("[0-9]+", "#");
    Throwable t = record.getThrown();
    return record.getLoggerName() + '|' + record.getLevel() + '|' + (t == null ? "" : t.getClass().getName()) + '|' + shape;
  }

  private static String trace(Throwable thrown) {
    StringWriter w = new StringWriter();
    thrown.printStackTrace(new PrintWriter(w));
    String[] lines = w.toString().split("\\R");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.length && i < MAX_TRACE_LINES; i++) {
      out.append(SecretMasker.mask(lines[i])).append('\n');
    }
    if (lines.length > MAX_TRACE_LINES) {
      out.append("\t... ").append(lines.length - MAX_TRACE_LINES).append(" more lines\n");
    }
    return out.toString().stripTrailing();
  }

  @Override
  public void flush() {
    out.flush();
  }

  @Override
  public void close() {
    flush();
  }
}
