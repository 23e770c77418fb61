package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Renders the harness's results as a section of docs/benchmarks.md, replacing the previous one. */
final class BenchReport {
  static final String START = "<!-- bench/run: start -->";
  static final String END = "<!-- bench/run: end -->";

  private BenchReport() {}

  /** Peak resident memory of both gateways, and the proxy's before and after the soak. */
  record Memory(long proxyPeakKb, long portkeyPeakKb, BenchHarness.Soak soak) {}

  static String section(BenchHarness.Options o, Map<String, Map<String, WrkResult>> results,
      Map<String, List<StreamSampler.Sample>> ttfb, Map<String, List<StreamSampler.Sample>> paced, Memory memory,
      BenchHarness.TlsCase tls) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append(START).append('\n');
    md.append("## Proxy overhead: direct, through nginx, through Switchboard, through Portkey\n\n");
    md.append("Measured ").append(BenchHarness.today()).append(" with `bench/run")
        .append(o.tiny() ? " --tiny" : "").append("` (").append(o.rounds()).append(" rounds of ").append(o.durationSeconds())
        .append(" s per path and case after ").append(o.warmupSeconds()).append(" s of warm-up, paths in alternation, medians shown; ")
        .append("before the cases every path gets ").append(o.jitWarmupSeconds()).append(" s of mixed load so its JIT reaches steady state) on ")
        .append(Machine.describe()).append(". The fake upstream, the gateways and wrk share the machine's cores over loopback. ")
        .append("Switchboard runs in local mode with the Helm chart's default JVM options (`")
        .append(String.join(" ", BenchHarness.ProxyProcess.chartJavaOptions(o.repo()))).append("`) and its access log on; Portkey is `@portkey-ai/gateway` 1.15.2 on Node ")
        .append(Machine.nodeVersion()).append(", routed with `x-portkey-provider` and `x-portkey-custom-host`. ")
        .append("nginx is Debian's `nginx-light` ").append(Machine.nginxVersion()).append(" as a plain reverse proxy (HTTP/1.1 keep-alive to ")
        .append("the upstream, no request or answer buffering, access log on, a worker per core): the anchor for what forwarding costs here. ")
        .append("*direct* is the fake upstream alone (for the Anthropic case, its native Messages stream; nginx forwards that one as it is).\n\n");
    md.append("| case | path | requests/s | p50 ms | p99 ms | errors | gateway's peak RSS MiB |\n|---|---|---:|---:|---:|---:|---:|\n");
    results.forEach((name, byPath) -> byPath.forEach((path, r) -> md.append("| ").append(name).append(" | ").append(path)
        .append(" | ").append(BenchHarness.fmt(r.requestsPerSecond())).append(" | ").append(BenchHarness.fmt(r.p50Millis()))
        .append(" | ").append(BenchHarness.fmt(r.p99Millis())).append(" | ").append(r.errors())
        .append(" | ").append(r.peakRssKb() > 0 ? Long.toString(r.peakRssKb() / 1024) : "–").append(" |\n")));
    md.append("\nAgainst nginx, the cost of forwarding a request on this machine (Switchboard minus nginx, and Switchboard's ")
        .append("throughput as a share of nginx's):\n\n")
        .append("| case | nginx added p50 ms | Switchboard added p50 ms | Switchboard minus nginx p50 ms | Switchboard ÷ nginx throughput |\n")
        .append("|---|---:|---:|---:|---:|\n");
    results.forEach((name, byPath) -> {
      WrkResult direct = byPath.get("direct");
      WrkResult ng = byPath.get("nginx");
      WrkResult sb = byPath.get("switchboard");
      md.append("| ").append(name)
          .append(" | ").append(BenchHarness.fmt(ng.p50Millis() - direct.p50Millis()))
          .append(" | ").append(BenchHarness.fmt(sb.p50Millis() - direct.p50Millis()))
          .append(" | ").append(BenchHarness.fmt(sb.p50Millis() - ng.p50Millis()))
          .append(" | ").append(ng.requestsPerSecond() > 0 ? BenchHarness.fmt(sb.requestsPerSecond() / ng.requestsPerSecond()) + "×" : "n/a")
          .append(" |\n");
    });
    md.append("\nAdded by each gateway (gateway minus direct), and throughput as a share of direct:\n\n")
        .append("| case | Switchboard p50 ms | Switchboard p99 ms | Switchboard throughput | Portkey p50 ms | Portkey p99 ms ")
        .append("| Portkey throughput | Switchboard ÷ Portkey throughput |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    results.forEach((name, byPath) -> {
      WrkResult direct = byPath.get("direct");
      WrkResult sb = byPath.get("switchboard");
      WrkResult pk = byPath.get("portkey");
      md.append("| ").append(name)
          .append(" | ").append(BenchHarness.fmt(sb.p50Millis() - direct.p50Millis()))
          .append(" | ").append(BenchHarness.fmt(sb.p99Millis() - direct.p99Millis()))
          .append(" | ").append(Math.round(100 * sb.requestsPerSecond() / direct.requestsPerSecond())).append("%")
          .append(" | ").append(BenchHarness.fmt(pk.p50Millis() - direct.p50Millis()))
          .append(" | ").append(BenchHarness.fmt(pk.p99Millis() - direct.p99Millis()))
          .append(" | ").append(Math.round(100 * pk.requestsPerSecond() / direct.requestsPerSecond())).append("%")
          .append(" | ").append(pk.requestsPerSecond() > 0 ? BenchHarness.fmt(sb.requestsPerSecond() / pk.requestsPerSecond()) + "×" : "n/a")
          .append(" |\n");
    });
    md.append("\nStreams, one connection, ").append(ttfb.values().iterator().next().size())
        .append(" requests of 20 chunks each (time to the first byte of the body):\n\n");
    md.append("| path | TTFB p50 ms | TTFB p99 ms |\n|---|---:|---:|\n");
    ttfb.forEach((path, samples) -> {
      long[] firsts = samples.stream().mapToLong(StreamSampler.Sample::firstByteNanos).toArray();
      md.append("| ").append(path).append(" | ").append(BenchHarness.fmt(StreamSampler.percentileMillis(firsts, 50)))
          .append(" | ").append(BenchHarness.fmt(StreamSampler.percentileMillis(firsts, 99))).append(" |\n");
    });
    md.append("\nPaced stream (the upstream waits 10 ms before each of 20 chunks): the gaps between chunks as the client sees ")
        .append("them. Equal to the pacing means nothing is held back.\n\n");
    md.append("| path | median gap ms | largest gap ms |\n|---|---:|---:|\n");
    paced.forEach((path, samples) -> {
      long[] gaps = samples.stream().flatMapToLong(s -> {
        long[] a = s.eventArrivals();
        java.util.stream.LongStream.Builder b = java.util.stream.LongStream.builder();
        for (int i = 2; i < a.length - 1; i++) { // from the first token chunk to the last
          b.add(a[i] - a[i - 1]);
        }
        return b.build();
      }).toArray();
      md.append("| ").append(path).append(" | ").append(BenchHarness.fmt(StreamSampler.percentileMillis(gaps, 50)))
          .append(" | ").append(BenchHarness.fmt(StreamSampler.percentileMillis(gaps, 100))).append(" |\n");
    });
    md.append("\nTLS to the upstream: small chats at 32 connections through Switchboard to the same fake upstream, over plain ")
        .append("HTTP and behind TLS (TLS 1.3, a self-signed ECDSA certificate trusted through `spec.tls.ca`, host name verified), ")
        .append("in alternation. The TLS upstream counts the connections that carried requests: ")
        .append(tls.connectionsAfterWarmup()).append(" after warm-up, and every one opened later would be a handshake after warm-up.\n\n");
    md.append("| upstream | requests/s | p50 ms | p99 ms | errors | TLS handshakes after warm-up |\n|---|---:|---:|---:|---:|---:|\n");
    md.append("| plain HTTP | ").append(BenchHarness.fmt(tls.plain().requestsPerSecond())).append(" | ").append(BenchHarness.fmt(tls.plain().p50Millis()))
        .append(" | ").append(BenchHarness.fmt(tls.plain().p99Millis())).append(" | ").append(tls.plain().errors()).append(" | – |\n");
    md.append("| TLS | ").append(BenchHarness.fmt(tls.tls().requestsPerSecond())).append(" | ").append(BenchHarness.fmt(tls.tls().p50Millis()))
        .append(" | ").append(BenchHarness.fmt(tls.tls().p99Millis())).append(" | ").append(tls.tls().errors()).append(" | ")
        .append(tls.handshakesAfterWarmup()).append(" |\n");
    md.append("\nTLS throughput is ").append(Math.round(100 * tls.tls().requestsPerSecond() / Math.max(1, tls.plain().requestsPerSecond())))
        .append("% of the plain case.\n");
    BenchHarness.Soak soak = memory.soak();
    md.append("\nThe peak resident set is per case: it is reset (`/proc/PID/clear_refs`) after each case's warm-up, so it ")
        .append("shows what that load needs, not the JIT's compilation spike at startup.\n");
    md.append("\nMemory: peak resident set over the cases, Switchboard ").append(memory.proxyPeakKb() / 1024)
        .append(" MiB, Portkey ").append(memory.portkeyPeakKb() / 1024).append(" MiB. Soak: Switchboard's resident set after warm-up ")
        .append(soak.rssAfterWarmupKb() / 1024).append(" MiB, after ").append(soak.requests()).append(" more requests at 32 connections ")
        .append(soak.rssAfterSoakKb() / 1024).append(" MiB (")
        .append(String.format(java.util.Locale.ROOT, "%+.1f%%", 100.0 * (soak.rssAfterSoakKb() - soak.rssAfterWarmupKb())
            / Math.max(1, soak.rssAfterWarmupKb()))).append(").\n");
    md.append(END).append('\n');
    return md.toString();
  }

  /** Replaces the harness's section of the file, or appends it. */
  static void write(Path file, String section) throws IOException {
    write(file, section, START, END);
  }

  /** Replaces the section between the markers (included in {@code section}), or appends it. */
  static void write(Path file, String section, String startMarker, String endMarker) throws IOException {
    String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n";
    int start = text.indexOf(startMarker);
    int end = text.indexOf(endMarker);
    if (start >= 0 && end > start) {
      text = text.substring(0, start) + section + text.substring(end + endMarker.length() + 1);
    } else {
      text = text + (text.endsWith("\n\n") ? "" : "\n") + section;
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, text);
  }
}
