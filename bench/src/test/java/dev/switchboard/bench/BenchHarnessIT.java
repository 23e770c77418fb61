package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite only checks that the harness runs end to end on a tiny load; numbers come from bench/run. */
class BenchHarnessIT {
  @Test
  void theHarnessRunsAndWritesItsSection(@TempDir Path dir) throws Exception {
    Path repo = Path.of(System.getProperty("switchboard.repoRoot", "..")).toAbsolutePath();
    Path out = dir.resolve("benchmarks.md");
    Files.writeString(out, "# Benchmarks\n\nKept text.\n");
    BenchHarness.main(new String[] {"--repo", repo.toString(), "--tiny", "--out", out.toString()});
    String report = Files.readString(out);
    assertThat(report).startsWith("# Benchmarks\n\nKept text.\n").contains(BenchReport.START, BenchReport.END);
    java.util.regex.Matcher rows = java.util.regex.Pattern
        .compile("\\| (chat|stream)[^|]* \\| (direct|nginx|switchboard|portkey) \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| 0 \\|").matcher(report);
    int errorFreeRows = 0;
    while (rows.find()) {
      errorFreeRows++;
    }
    assertThat(errorFreeRows).as("five cases, four paths, no errors").isEqualTo(20);
    assertThat(report).as("the TLS case ran without errors").containsPattern("\\| TLS \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| 0 \\| [0-9]+ \\|");
    assertThat(report).contains("| nginx | ", "| switchboard | ", "| portkey | ", "Switchboard ÷ nginx throughput", "Soak: Switchboard's resident set");
    BenchHarness.main(new String[] {"--repo", repo.toString(), "--tiny", "--out", out.toString()});
    assertThat(Files.readString(out).split(BenchReport.START, -1)).as("the section is replaced, not repeated").hasSize(2);
  }
}
