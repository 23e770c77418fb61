package dev.switchboard.bench;

import dev.switchboard.bench.jmh.HotPathsBenchmark;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH hot-path benchmarks and writes their section of docs/benchmarks.md.
 * Usage: {@code bench/run-jmh [--out FILE]}
 */
public final class HotPathsRun {
  static final String START = "<!-- bench/run-jmh: start -->";
  static final String END = "<!-- bench/run-jmh: end -->";

  private HotPathsRun() {}

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(".").toAbsolutePath().normalize();
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath().normalize();
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; usage: bench/run-jmh [--out FILE]");
      }
    }
    Collection<RunResult> results = new Runner(new OptionsBuilder().include(HotPathsBenchmark.class.getName()).build()).run();
    StringBuilder md = new StringBuilder(START).append('\n');
    md.append("## Hot paths (JMH)\n\nMeasured ").append(BenchHarness.today()).append(" with `bench/run-jmh` on ")
        .append(Machine.describe()).append(": one fork, 3 warm-up and 5 measured iterations of 1 s, `-Xmx192m`, average time ")
        .append("per operation. No sockets: these are the proxy's own costs per request or per stream.\n\n");
    md.append("| benchmark | what one operation is | µs/op | ± (99.9%) |\n|---|---|---:|---:|\n");
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
      var score = r.getPrimaryResult();
      md.append("| `").append(name).append("` | ").append(describe(name)).append(" | ")
          .append(String.format(Locale.ROOT, "%.2f", score.getScore())).append(" | ")
          .append(String.format(Locale.ROOT, "%.2f", score.getScoreError())).append(" |\n");
    }
    md.append(END).append('\n');
    Path file = out != null ? out : repo.resolve("docs/benchmarks.md");
    BenchReport.write(file, md.toString(), START, END);
    System.out.println("wrote " + file);
  }

  private static String describe(String name) {
    return switch (name) {
      case "requestParseAndRewrite" -> "parse a small chat request and rewrite it for the upstream model";
      case "sseParseAndReencode" -> "split a 20-chunk OpenAI stream into events and re-encode each";
      case "anthropicStreamTranslation" -> "translate a 20-delta Anthropic stream into OpenAI chunks";
      case "anthropicThinkingToolStreamTranslation" ->
          "translate a 20-delta Anthropic thinking stream ending in a tool call, carrying and remembering its continuity";
      case "responsesStreamEncoding" ->
          "encode a 20-delta OpenAI stream ending in a streamed tool call as Responses API events";
      case "toolLoopParseAndRewrite" -> "parse an 8 KB tool-loop conversation and rewrite it for the upstream model";
      default -> "";
    };
  }
}
