package dev.switchboard.proxy.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.SecretValue;
import dev.switchboard.proxy.error.SecretMasker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Diagnostics: one masked line per event, repeats rate-limited, traces only for bugs. */
class StandardErrorHandlerTest {
  private static LogRecord record(Level level, String message, Throwable thrown, long millis) {
    LogRecord r = new LogRecord(level, message);
    r.setLoggerName("io.helidon.webserver.ConnectionHandler");
    r.setThrown(thrown);
    r.setInstant(java.time.Instant.ofEpochMilli(millis));
    return r;
  }

  @Test
  void aFloodOfTheSameEventWritesOneLinePerWindowAndCountsTheRest() {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    StandardErrorHandler handler = new StandardErrorHandler(new PrintStream(sink, true, StandardCharsets.UTF_8));
    long t0 = 1_000_000;
    for (int i = 0; i < 5000; i++) {
      handler.publish(record(Level.WARNING, "connection " + Integer.toHexString(0x10000000 + i) + " closed", new java.io.IOException("reset"), t0 + i));
    }
    handler.publish(record(Level.WARNING, "connection 1 closed", new java.io.IOException("reset"), t0 + StandardErrorHandler.WINDOW_MILLIS + 1));
    String[] lines = sink.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).contains("WARNING", "closed", "(IOException: reset)").doesNotContain("\tat ");
    assertThat(lines[1]).contains("[4999 similar lines left out in the last 10 s]");
  }

  @Test
  void linesAreMaskedAndBugsKeepAShortTrace() {
    SecretMasker.register("handler-test", List.of(SecretValue.of("Zq81secretvalue")));
    try {
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      StandardErrorHandler handler = new StandardErrorHandler(new PrintStream(sink, true, StandardCharsets.UTF_8));
      handler.publish(record(Level.SEVERE, "failed with Zq81secretvalue", new IllegalStateException("Zq81secretvalue"), 5));
      String out = sink.toString(StandardCharsets.UTF_8);
      assertThat(out).doesNotContain("Zq81se").contains("failed with ****", "IllegalStateException: ****", "\tat ");
      assertThat(out.split("\n").length).isLessThanOrEqualTo(StandardErrorHandler.MAX_TRACE_LINES + 2);
    } finally {
      SecretMasker.unregister("handler-test");
    }
  }
}
