package dev.switchboard.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streams split at awkward places must still give whole events, as soon as each is complete. */
class SseReaderTest {
  private static final String STREAM = "data: {\"a\":\"x\\n\\ny\"}\n\n"
      + ": keep-alive comment\n\n"
      + "event: message\r\ndata: {\"b\":1}\r\n\r\n"
      + "data: {\"c\":\n"
      + "data: 2}\n\n"
      + "data: [DONE]\n\n";

  /** Hands out at most {@code step} bytes per read, as a slow network would. */
  private static InputStream trickle(byte[] bytes, int step) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, step));
      }
    };
  }

  private static List<String> events(InputStream in) throws IOException {
    SseReader reader = new SseReader(in, () -> {});
    List<String> out = new ArrayList<>();
    ByteSlice e;
    while ((e = reader.next()) != null) {
      out.add(e.utf8());
    }
    return out;
  }

  @Test
  void splitsTheSameWayWhateverTheReadSizes() throws IOException {
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    List<String> whole = events(new ByteArrayInputStream(bytes));
    assertThat(whole).hasSize(5);
    assertThat(whole.get(2)).isEqualTo("event: message\r\ndata: {\"b\":1}\r\n\r\n");
    for (int step = 1; step <= 9; step++) {
      assertThat(events(trickle(bytes, step))).as("reads of " + step + " bytes").isEqualTo(whole);
    }
  }

  @Test
  void extractsDataAndEventNames() throws IOException {
    List<String> raw = events(new ByteArrayInputStream(STREAM.getBytes(StandardCharsets.UTF_8)));
    assertThat(SseReader.data(ByteSlice.of(raw.get(0)))).isEqualTo("{\"a\":\"x\\n\\ny\"}");
    assertThat(SseReader.data(ByteSlice.of(raw.get(1)))).isNull();
    assertThat(SseReader.eventName(ByteSlice.of(raw.get(2)))).isEqualTo("message");
    assertThat(SseReader.data(ByteSlice.of(raw.get(3)))).isEqualTo("{\"c\":\n2}");
  }

  @Test
  void growsForLargeEventsAndReturnsATrailingPartialEvent() throws IOException {
    String big = "data: " + "x".repeat(100_000) + "\n\n";
    List<String> out = events(trickle((big + "data: tail").getBytes(StandardCharsets.UTF_8), 4096));
    assertThat(out).hasSize(2);
    assertThat(out.get(0)).hasSize(big.length());
    assertThat(out.get(1)).isEqualTo("data: tail");
  }

  @Test
  void announcesEveryRead() throws IOException {
    int[] reads = {0};
    SseReader reader = new SseReader(trickle("data: 1\n\n".getBytes(StandardCharsets.UTF_8), 3), () -> reads[0]++);
    assertThat(reader.next().utf8()).isEqualTo("data: 1\n\n");
    assertThat(reads[0]).isGreaterThanOrEqualTo(3);
  }
}
