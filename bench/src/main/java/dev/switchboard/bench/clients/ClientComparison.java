package dev.switchboard.bench.clients;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares upstream HTTP client candidates for the proxy on this machine: each does the proxy's
 * hot path (see {@link UpstreamClient}) against {@link FakeUpstream} in its own process, over plain
 * HTTP and TLS, a JSON answer or a stream, with 1 and 32 callers on virtual threads. Candidates run
 * in interleaved rounds (every candidate once per case per round) so that load from elsewhere on
 * the machine spreads over all of them; medians and the spread over rounds are reported.
 *
 * <p>Per request: throughput, this JVM's CPU time ({@code getProcessCpuTime}: the upstream runs
 * elsewhere), heap allocated by all its threads ({@code getTotalThreadAllocatedBytes}), and, counted
 * at the server, TCP connections accepted and TLS handshakes during the measured windows.
 *
 * <p>Usage: {@code bench/run-clients [--rounds N] [--seconds S] [--warmup S] [--only a,b] [--helidon-settings]
 * [--out FILE | --no-write]}
 */
public final class ClientComparison {
  static final String START = "<!-- bench/run-clients: start -->";
  static final String END = "<!-- bench/run-clients: end -->";
  static final String SETTINGS_START = "<!-- bench/run-clients --helidon-settings: start -->";
  static final String SETTINGS_END = "<!-- bench/run-clients --helidon-settings: end -->";

  /** One load shape. */
  public record Case(boolean tls, boolean stream, int callers) {
    String title() {
      return (tls ? "TLS" : "plain HTTP") + ", " + (stream ? "stream (23 SSE events, " + Wire.STREAM.length + " B)"
          : "JSON answer (" + Wire.COMPLETION.length + " B)") + ", " + callers + (callers == 1 ? " caller" : " callers");
    }

    long expectedBytes() {
      return stream ? Wire.STREAM.length : Wire.COMPLETION.length;
    }
  }

  /** One measured window. */
  public record Sample(long requests, long errors, long nanos, long cpuNanos, long allocatedBytes, long accepted, long handshakes,
      long used, String firstError) {
    double perSecond() {
      return requests * 1e9 / nanos;
    }

    double cpuMicrosPerRequest() {
      return requests == 0 ? Double.NaN : cpuNanos / 1e3 / requests;
    }

    double bytesPerRequest() {
      return requests == 0 ? Double.NaN : (double) allocatedBytes / requests;
    }
  }

  record Options(int rounds, double seconds, double warmup, List<String> only, boolean helidonSettings, Path out, boolean write) {}

  private final UpstreamProcess upstream;
  private final URI plainUri;
  private final URI tlsUri;
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  public ClientComparison(UpstreamProcess upstream) {
    this.upstream = upstream;
    this.plainUri = URI.create("http://127.0.0.1:" + upstream.plainPort() + Wire.PATH);
    this.tlsUri = URI.create("https://127.0.0.1:" + upstream.tlsPort() + Wire.PATH);
  }

  public URI uri(boolean tls) {
    return tls ? tlsUri : plainUri;
  }

  /** The candidates, in table order. */
  public static List<UpstreamClient> candidates(SelfSignedCert cert, List<String> only) throws Exception {
    List<UpstreamClient> all = new ArrayList<>();
    String helidon = version(io.helidon.webclient.http1.Http1Client.class);
    String jetty = version(org.eclipse.jetty.client.HttpClient.class);
    String netty = version(io.netty.handler.codec.http.HttpClientCodec.class);
    if (want(only, "helidon")) {
      all.add(HelidonClients.http1("helidon " + helidon, HelidonClients.Settings.UPSTREAM_HTTP, cert));
    }
    if (want(only, "helidon-tuned")) {
      all.add(HelidonClients.http1("helidon " + helidon + " tuned", HelidonClients.Settings.TUNED, cert));
    }
    if (want(only, "jetty")) {
      all.add(JettyClients.create("jetty " + jetty, false, cert));
    }
    if (want(only, "netty")) {
      all.add(NettyClients.http1("netty " + netty, cert));
    }
    if (want(only, "helidon-h2")) {
      all.add(HelidonClients.http2("helidon " + version(io.helidon.webclient.http2.Http2Client.class) + " h2", cert));
    }
    if (want(only, "jetty-h2")) {
      all.add(JettyClients.create("jetty " + jetty + " h2", true, cert));
    }
    if (want(only, "netty-h2")) {
      all.add(NettyClients.http2("netty " + netty + " h2", cert));
    }
    return all;
  }

  private static boolean want(List<String> only, String key) {
    return only.isEmpty() || only.contains(key);
  }

  /** The version in the name of the jar a class came from. */
  static String version(Class<?> type) {
    try {
      String jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
      Matcher m = Pattern.compile("-(\\d+\\.\\d+\\.\\d+[^/]*?)\\.jar$").matcher(jar);
      return m.find() ? m.group(1).replace(".Final", "") : "?";
    } catch (Exception e) {
      return "?";
    }
  }

  public static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (boolean tls : new boolean[] {false, true}) {
      for (boolean stream : new boolean[] {false, true}) {
        for (int callers : new int[] {1, 32}) {
          cases.add(new Case(tls, stream, callers));
        }
      }
    }
    return cases;
  }

  /** Runs {@code callers} virtual threads calling {@code client} for {@code seconds} and measures the window. */
  public Sample measure(UpstreamClient client, Case c, double seconds) throws Exception {
    return measure(client, c, seconds, Long.MAX_VALUE);
  }

  /** As {@link #measure(UpstreamClient, Case, double)}, each caller stopping after {@code callsPerCaller} calls at most. */
  public Sample measure(UpstreamClient client, Case c, double seconds, long callsPerCaller) throws Exception {
    URI uri = uri(c.tls());
    long expected = c.expectedBytes();
    long[] done = new long[c.callers()];
    long[] failed = new long[c.callers()];
    AtomicReference<Throwable> firstError = new AtomicReference<>();
    UpstreamProcess.Stats before = upstream.stats();
    long cpu0 = os.getProcessCpuTime();
    long alloc0 = threads.getTotalThreadAllocatedBytes();
    long t0 = System.nanoTime();
    long deadline = t0 + (long) (seconds * 1e9);
    Thread[] callers = new Thread[c.callers()];
    for (int i = 0; i < callers.length; i++) {
      int me = i;
      callers[i] = Thread.ofVirtual().name("caller-" + i).start(() -> {
        UpstreamClient.Scratch s = new UpstreamClient.Scratch();
        long n = 0;
        long errors = 0;
        for (long calls = 0; calls < callsPerCaller && System.nanoTime() < deadline; calls++) {
          s.reset();
          try {
            client.call(uri, c.stream(), s);
            if (s.status == 200 && s.bytes == expected) {
              n++;
            } else {
              errors++;
              firstError.compareAndSet(null, new IllegalStateException("status " + s.status + ", " + s.bytes + " bytes"));
            }
          } catch (Exception | Error e) {
            errors++;
            firstError.compareAndSet(null, e);
          }
        }
        done[me] = n;
        failed[me] = errors;
      });
    }
    for (Thread t : callers) {
      t.join();
    }
    long t1 = System.nanoTime();
    long cpu1 = os.getProcessCpuTime();
    long alloc1 = threads.getTotalThreadAllocatedBytes();
    UpstreamProcess.Stats after = upstream.stats();
    if (firstError.get() != null) {
      System.err.println(client.name() + ", " + c.title() + ": " + firstError.get());
    }
    return new Sample(Arrays.stream(done).sum(), Arrays.stream(failed).sum(), t1 - t0, cpu1 - cpu0, alloc1 - alloc0,
        after.accepted() - before.accepted(), after.handshakes() - before.handshakes(), after.used(),
        firstError.get() == null ? null : String.valueOf(firstError.get()));
  }

  /** Every candidate, every case it speaks: a warm-up, then interleaved rounds. */
  Map<String, Map<Case, List<Sample>>> run(List<UpstreamClient> clients, List<Case> cases, Options o) throws Exception {
    Map<String, Map<Case, List<Sample>>> results = new LinkedHashMap<>();
    for (UpstreamClient client : clients) {
      Map<Case, List<Sample>> byCase = new LinkedHashMap<>();
      for (Case c : cases) {
        if ((c.tls() || client.plain()) && (!c.stream() || client.streams())) {
          byCase.put(c, new ArrayList<>());
          measure(client, c, c.callers() == 1 ? o.warmup() / 2 : o.warmup());
        }
      }
      results.put(client.name(), byCase);
    }
    for (int round = 1; round <= o.rounds(); round++) {
      System.out.println("round " + round + " of " + o.rounds());
      for (Case c : cases) {
        for (UpstreamClient client : clients) {
          List<Sample> samples = results.get(client.name()).get(c);
          if (samples != null) {
            measure(client, c, 0.2); // fills the pool for this many callers; not counted
            samples.add(measure(client, c, o.seconds()));
          }
        }
      }
    }
    return results;
  }

  public static void main(String[] args) throws Exception {
    Options o = parse(args);
    String loadBefore = uptime();
    String date = LocalDate.now().toString();
    Path work = Files.createTempDirectory("switchboard-clients");
    SelfSignedCert cert = SelfSignedCert.create(work);
    String md;
    try (UpstreamProcess upstream = UpstreamProcess.start(cert, work.resolve("upstream.log"))) {
      ClientComparison bench = new ClientComparison(upstream);
      List<UpstreamClient> clients = o.helidonSettings() ? settingsCandidates(cert) : candidates(cert, o.only());
      List<Case> cases = o.helidonSettings()
          ? List.of(new Case(false, false, 32), new Case(true, false, 32), new Case(false, true, 32))
          : cases();
      Map<String, Map<Case, List<Sample>>> results;
      try {
        results = bench.run(clients, cases, o);
      } finally {
        for (UpstreamClient c : clients) {
          c.close();
        }
      }
      String loadAfter = uptime();
      md = o.helidonSettings() ? settingsSection(o, date, loadBefore, loadAfter, results)
          : section(o, date, loadBefore, loadAfter, clients, cases, results);
    }
    System.out.println(md);
    if (o.write()) {
      write(o.out(), md, o.helidonSettings() ? SETTINGS_START : START, o.helidonSettings() ? SETTINGS_END : END);
      System.out.println("wrote " + o.out());
    }
  }

  private static List<UpstreamClient> settingsCandidates(SelfSignedCert cert) {
    List<UpstreamClient> all = new ArrayList<>();
    for (HelidonClients.Settings s : HelidonClients.Settings.variants()) {
      all.add(HelidonClients.http1(s.label(), s, cert));
    }
    return all;
  }

  private static Options parse(String[] args) {
    int rounds = 3;
    double seconds = 2;
    double warmup = 1.5;
    List<String> only = List.of();
    boolean settings = false;
    Path repo = Path.of(".").toAbsolutePath().normalize();
    Path out = null;
    boolean write = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--warmup" -> warmup = Double.parseDouble(args[++i]);
        case "--only" -> only = List.of(args[++i].split(","));
        case "--helidon-settings" -> settings = true;
        case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath().normalize();
        case "--out" -> out = Path.of(args[++i]);
        case "--no-write" -> write = false;
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; usage: bench/run-clients [--rounds N] "
            + "[--seconds S] [--warmup S] [--only helidon,helidon-tuned,jetty,netty,helidon-h2,jetty-h2,netty-h2] "
            + "[--helidon-settings] [--out FILE | --no-write]");
      }
    }
    return new Options(rounds, seconds, warmup, only, settings, out != null ? out : repo.resolve("docs/benchmarks.md"), write);
  }

  static String uptime() {
    try {
      Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      p.waitFor();
      int at = out.indexOf("load average");
      return at >= 0 ? out.substring(at) : out;
    } catch (IOException | InterruptedException e) {
      try {
        return "load average: " + Files.readString(Path.of("/proc/loadavg")).strip();
      } catch (IOException ignored) {
        return "(unknown)";
      }
    }
  }

  private static String header(Options o, String date, String command, String loadBefore, String loadAfter) {
    return "Measured " + date + " with `" + command + "` on " + machine() + ". " + o.rounds()
        + " interleaved rounds: in each round every candidate runs every case for " + fmt(o.seconds())
        + " s (after 0.2 s, not counted, that fills its pool for that many callers), so load from elsewhere spreads over all "
        + "of them; before the rounds each ran each case for " + fmt(o.warmup()) + " s (half that at 1 caller) of warm-up. "
        + "Cells show the median over the rounds and, in brackets, the lowest and highest. The client JVM runs with "
        + "the chart's `-Xmx192m -XX:+UseSerialGC` and its callers are virtual threads; the fake upstream is a Jetty "
        + version(org.eclipse.jetty.server.Server.class) + " server in its own JVM on the same machine (plain HTTP/1.1 "
        + "and TLS with ALPN h2/http/1.1, a self-signed ECDSA certificate made at startup that each client trusts alone, "
        + "host names verified), over loopback: client and upstream share the 2 cores. CPU is the client JVM's process "
        + "CPU time only (its GC and JIT included), allocation is the heap allocated by all its threads; new connections "
        + "and TLS handshakes are counted at the server over the measured windows (all rounds added up), "
        + "*connections used* is the most distinct connections that carried requests in one window. Load (`uptime`) before: "
        + loadBefore + "; after: " + loadAfter + ".\n\n";
  }

  static String section(Options o, String date, String loadBefore, String loadAfter, List<UpstreamClient> clients, List<Case> cases,
      Map<String, Map<Case, List<Sample>>> results) {
    StringBuilder md = new StringBuilder(START).append('\n');
    md.append("## Upstream client comparison\n\n");
    md.append(header(o, date, "bench/run-clients", loadBefore, loadAfter));
    md.append("Each request is a POST of a ").append(Wire.CHAT_REQUEST.length)
        .append("-byte chat body with authorization, content-type and accept headers; the JSON answer (")
        .append(Wire.COMPLETION.length).append(" B) is read whole into an array of its content length, the stream (")
        .append(Wire.STREAM.length).append(" B in 23 events, each flushed by the server) is read through an `InputStream` as it comes.\n\n");
    for (Case c : cases) {
      md.append("### ").append(c.title()).append("\n\n");
      md.append("| client | protocol | requests/s | CPU µs/request | allocated KB/request | new connections | TLS handshakes | connections used | errors |\n");
      md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
      for (UpstreamClient client : clients) {
        List<Sample> samples = results.get(client.name()).get(c);
        if (samples == null || samples.isEmpty()) {
          continue;
        }
        md.append("| ").append(client.name()).append(" | ").append(client.protocol()).append(" | ")
            .append(cell(samples, Sample::perSecond, 0)).append(" | ")
            .append(cell(samples, Sample::cpuMicrosPerRequest, 1)).append(" | ")
            .append(cell(samples, s -> s.bytesPerRequest() / 1024, 1)).append(" | ")
            .append(samples.stream().mapToLong(Sample::accepted).sum()).append(" | ")
            .append(c.tls() ? Long.toString(samples.stream().mapToLong(Sample::handshakes).sum()) : "–").append(" | ")
            .append(samples.stream().mapToLong(Sample::used).max().orElse(0)).append(" | ")
            .append(samples.stream().mapToLong(Sample::errors).sum()).append(" |\n");
      }
      md.append('\n');
    }
    md.append(END).append('\n');
    return md.toString();
  }

  static String settingsSection(Options o, String date, String loadBefore, String loadAfter,
      Map<String, Map<Case, List<Sample>>> results) {
    StringBuilder md = new StringBuilder(SETTINGS_START).append('\n');
    md.append("### Helidon WebClient settings\n\n");
    md.append(header(o, date, "bench/run-clients --helidon-settings", loadBefore, loadAfter));
    md.append("Each row is UpstreamHttp's Helidon ").append(version(io.helidon.webclient.http1.Http1Client.class))
        .append(" HTTP/1.1 client with one setting changed; the last row is the *tuned* candidate of the tables above, five of them together. ")
        .append("32 callers; CPU µs/request (median, lowest–highest) and allocated KB/request.\n\n");
    List<Case> cases = results.values().iterator().next().keySet().stream().toList();
    md.append("| setting |");
    for (Case c : cases) {
      md.append(" ").append(c.tls() ? "TLS" : "plain").append(c.stream() ? " stream" : " JSON").append(" req/s | CPU µs | KB |");
    }
    md.append("\n|---|").append("---:|---:|---:|".repeat(cases.size())).append('\n');
    results.forEach((name, byCase) -> {
      md.append("| ").append(name).append(" |");
      for (Case c : cases) {
        List<Sample> s = byCase.get(c);
        md.append(' ').append(cell(s, Sample::perSecond, 0)).append(" | ").append(cell(s, Sample::cpuMicrosPerRequest, 1))
            .append(" | ").append(fmt(median(s, x -> x.bytesPerRequest() / 1024), 1)).append(" |");
      }
      md.append('\n');
    });
    md.append(SETTINGS_END).append('\n');
    return md.toString();
  }

  static String cell(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f, int decimals) {
    double[] v = samples.stream().mapToDouble(f).sorted().toArray();
    String median = fmt(median(samples, f), decimals);
    return v.length < 2 ? median : median + " (" + fmt(v[0], decimals) + "–" + fmt(v[v.length - 1], decimals) + ")";
  }

  static double median(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
    double[] v = samples.stream().mapToDouble(f).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  static String fmt(double v, int decimals) {
    return decimals == 0 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  private static String machine() {
    String cpu = "unknown CPU";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
    } catch (IOException e) {
      // not Linux
    }
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), Java " + Runtime.version();
  }

  /** Replaces the section between the markers, or appends it. */
  static void write(Path file, String section, String startMarker, String endMarker) throws IOException {
    String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n";
    int start = text.indexOf(startMarker);
    int end = text.indexOf(endMarker);
    if (start >= 0 && end > start) {
      text = text.substring(0, start) + section + text.substring(Math.min(text.length(), end + endMarker.length() + 1));
    } else {
      text = text + (text.endsWith("\n\n") ? "" : "\n") + section;
    }
    Files.writeString(file, text);
  }
}
