package dev.switchboard.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

  @Test
  void responsesEncodingBuildsTheWholeResponse() throws Exception {
    JsonNode response = new HotPathsBenchmark().responsesStreamEncoding(HOLE);
    assertThat(response.path("status").asText()).isEqualTo("completed");
    JsonNode output = response.path("output");
    assertThat(output).hasSize(2);
    assertThat(output.get(0).path("type").asText()).isEqualTo("message");
    assertThat(output.get(0).path("content").path(0).path("text").asText()).isEqualTo("token ".repeat(20));
    assertThat(output.get(1).path("type").asText()).isEqualTo("function_call");
    assertThat(output.get(1).path("call_id").asText()).isEqualTo("call_bench");
    assertThat(output.get(1).path("name").asText()).isEqualTo("get_weather");
    assertThat(output.get(1).path("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(response.path("usage").path("total_tokens").asInt()).isEqualTo(40);
    // The request's function tool is echoed, as a Response does.
    assertThat(response.path("tools").path(0).path("name").asText()).isEqualTo("get_weather");
  }
}
