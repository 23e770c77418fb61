package dev.switchboard.proxy.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class AccessLogTest {
  private static String millis(long nanos) {
    StringBuilder b = new StringBuilder();
    AccessLog.millis(b, nanos);
    return b.toString();
  }

  private static String timestamp(Instant instant) {
    StringBuilder b = new StringBuilder();
    AccessLog.timestamp(b, instant);
    return b.toString();
  }

  @Test
  void millisecondsHaveThreeDecimals() {
    assertThat(millis(0)).isEqualTo("0.000");
    assertThat(millis(5_000)).isEqualTo("0.005");
    assertThat(millis(42_999)).isEqualTo("0.042");
    assertThat(millis(1_070_000)).isEqualTo("1.070");
    assertThat(millis(1_234_567_890)).isEqualTo("1234.567");
  }

  @Test
  void timestampsAreUtcWithNanosecondsAndParseBack() {
    Instant a = Instant.parse("2026-11-23T15:36:58.000001200Z");
    Instant b = Instant.parse("2026-11-23T15:36:58.908665934Z");
    Instant c = Instant.parse("2026-11-23T15:36:59Z");
    assertThat(timestamp(a)).isEqualTo("2026-11-23T15:36:58.000001200Z");
    assertThat(timestamp(b)).isEqualTo("2026-11-23T15:36:58.908665934Z");
    assertThat(timestamp(c)).isEqualTo("2026-11-23T15:36:59.000000000Z");
    assertThat(Instant.parse(timestamp(a))).isEqualTo(a);
    assertThat(timestamp(a)).isEqualTo("2026-11-23T15:36:58.000001200Z"); // back to an earlier second
  }

  @Test
  void aLineTheSinkRefusesIsCountedAndTheRestAreWritten() {
    List<String> written = new CopyOnWriteArrayList<>();
    AccessLog log = AccessLog.to(line -> {
      if (line.contains("\"request_id\":\"bad\"")) {
        throw new IllegalStateException("disk full");
      }
      written.add(line);
    });
    for (String id : List.of("one", "bad", "two", "three")) {
      log.log(new AccessLog.Entry(id, "POST", "/v1/chat/completions", "openai", "default/team-a", 200, "default/chat", "default/b", 1, false,
          1_500_000, 0, 3, 4, ""));
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 3 && log.dropped() == 1);
    assertThat(written).extracting(l -> l.replaceAll(".*\"request_id\":\"(\\w+)\".*", "$1"))
        .containsExactly("one", "two", "three");
    assertThat(written.get(0)).contains("\"latency_ms\":1.500").doesNotContain("ttft_ms");
  }
}
