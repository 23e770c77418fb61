package dev.switchboard.proxy.observe;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One JSON line per request (route, backend, status, attempts, latency, time to first token,
 * tokens), never bodies or secrets. Lines are queued and written by a background thread, so a
 * slow terminal never slows a request; if the queue overflows lines are dropped and counted.
 */
public final class AccessLog {
  /** One request's entry. */
  public record Entry(String requestId, String method, String path, String surface, String client, int status, String route,
      String backend, int attempts, boolean stream, long latencyNanos, long firstByteNanos, long promptTokens, long completionTokens,
      String errorCode) {}

  private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(65_536);
  private final AtomicLong dropped = new AtomicLong();
  private final boolean enabled;

  private AccessLog(boolean enabled, Consumer<String> sink, Runnable flush) {
    this.enabled = enabled;
    if (enabled) {
      Thread writer = new Thread(() -> drain(sink, flush), "switchboard-access-log");
      writer.setDaemon(true);
      writer.start();
    }
  }

  /**
   * Writes to standard output: each line encoded as UTF-8 in one call and buffered, without
   * PrintStream's per-line locking and charset encoder (about a tenth of a proxied request's CPU
   * went to the access log). Writes hold whole lines, so lines never interleave with System.out's.
   */
  public static AccessLog toStdout(boolean enabled) {
    BufferedOutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
    return new AccessLog(enabled, line -> {
      try {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, () -> {
      try {
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Writes each line to {@code sink}, for tests. */
  public static AccessLog to(Consumer<String> sink) {
    return new AccessLog(true, sink, () -> {});
  }

  public long dropped() {
    return dropped.get();
  }

  public void log(Entry e) {
    if (!enabled) {
      return;
    }
    StringBuilder line = new StringBuilder(256);
    line.append("{\"ts\":\"");
    timestamp(line, Instant.now());
    line.append('"');
    string(line, "request_id", e.requestId());
    string(line, "method", e.method());
    string(line, "path", e.path());
    string(line, "surface", e.surface());
    string(line, "client", e.client());
    line.append(",\"status\":").append(e.status());
    string(line, "route", e.route());
    string(line, "backend", e.backend());
    line.append(",\"attempts\":").append(e.attempts());
    line.append(",\"stream\":").append(e.stream());
    line.append(",\"latency_ms\":");
    millis(line, e.latencyNanos());
    if (e.firstByteNanos() > 0) {
      line.append(",\"ttft_ms\":");
      millis(line, e.firstByteNanos());
    }
    line.append(",\"prompt_tokens\":").append(e.promptTokens());
    line.append(",\"completion_tokens\":").append(e.completionTokens());
    if (!e.errorCode().isEmpty()) {
      string(line, "error", e.errorCode());
    }
    line.append('}');
    if (!queue.offer(line.toString())) {
      dropped.incrementAndGet();
    }
  }

  private void drain(Consumer<String> sink, Runnable flush) {
    List<String> batch = new ArrayList<>(1024);
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch, 1023); // under load, one wake-up writes many lines
      for (String line : batch) {
        try {
          sink.accept(line);
        } catch (RuntimeException e) {
          dropped.incrementAndGet();
        }
      }
      batch.clear();
      if (queue.isEmpty()) {
        try {
          flush.run(); // the burst is over: write out what is buffered
        } catch (RuntimeException e) {
          dropped.incrementAndGet();
        }
      }
    }
  }

  /** Milliseconds with three decimals; by hand because String.format was a visible share of a request's CPU. */
  static void millis(StringBuilder line, long nanos) {
    long micros = Math.max(0, nanos) / 1_000;
    long fraction = micros % 1_000;
    line.append(micros / 1_000).append('.');
    if (fraction < 100) {
      line.append(fraction < 10 ? "00" : "0");
    }
    line.append(fraction);
  }

  /**
   * RFC 3339 in UTC with nanoseconds. The date and time up to the second are formatted once per
   * second: Instant.toString's formatter is far slower than appending the fraction.
   */
  static void timestamp(StringBuilder line, Instant now) {
    Second cached = second;
    if (cached.epochSecond() != now.getEpochSecond()) {
      String formatted = Instant.ofEpochSecond(now.getEpochSecond()).toString(); // 2026-11-23T15:36:58Z
      cached = new Second(now.getEpochSecond(), formatted.substring(0, formatted.length() - 1));
      second = cached;
    }
    line.append(cached.prefix()).append('.');
    String nanos = Integer.toString(now.getNano());
    for (int i = nanos.length(); i < 9; i++) {
      line.append('0');
    }
    line.append(nanos).append('Z');
  }

  private record Second(long epochSecond, String prefix) {}

  private static volatile Second second = new Second(Long.MIN_VALUE, "");

  private static void string(StringBuilder line, String name, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    line.append(",\"").append(name).append("\":\"");
    line.append(JsonStringEncoder.getInstance().quoteAsString(value));
    line.append('"');
  }
}
