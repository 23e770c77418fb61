package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator benchmark runs end to end on a tiny installation; its numbers come from bench/run-operator. */
class OperatorBenchIT {
  @Test
  void theOperatorBenchmarkRunsAndWritesItsSection(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("benchmarks.md");
    OperatorBench.main(new String[] {"--tiny", "--out", out.toString()});
    String report = Files.readString(out);
    assertThat(report).contains(OperatorBench.START, OperatorBench.END, "Compiling 10 ChatBackends");
    assertThat(report).containsPattern("both of two proxies serving it.*median \\*\\*[0-9.]+ ms\\*\\*");
  }
}
