package dev.switchboard.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/** The benchmarks measure real work: each does what it says once, with the output it should have. */
class HotPathsBenchmarkTest {
  private static final Blackhole HOLE =
      new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

  @Test
  void requestIsRewrittenForTheUpstreamModel() throws Exception {
    String rewritten = new String(new HotPathsBenchmark().requestParseAndRewrite(), StandardCharsets.UTF_8);
    assertThat(rewritten).contains("\"model\":\"gpt-4o-2024-08-06\"", "\"messages\"").doesNotContain("\"model\":\"chat\"");
  }

  @Test
  void streamBenchmarksRunToTheEnd() throws Exception {
    new HotPathsBenchmark().sseParseAndReencode(HOLE);
    // Throws if the translator sees an event out of order or the stream does not complete.
    new HotPathsBenchmark().anthropicStreamTranslation(HOLE);
  }
}
