package dev.switchboard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the same load against the fake upstream directly and through Switchboard, in alternation,
 * and writes the medians to docs/benchmarks.md. Everything runs on this machine, on loopback:
 * the upstream in this JVM, the proxy as its own process (with the heap a 256 MiB container
 * gives it), and wrk as the load generator.
 *
 * <p>Usage: {@code bench/run [--tiny] [--rounds N] [--duration S] [--out FILE]}
 */
public final class BenchHarness {
  private static final String SMALL_CHAT =
      "{\"model\":\"%s\",\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},"
          + "{\"role\":\"user\",\"content\":\"Say hello in five words.\"}],\"temperature\":0.2%s}";

  record Options(Path repo, Path out, int rounds, int durationSeconds, int warmupSeconds, int samples, boolean tiny) {}

  private record Case(String name, int connections, boolean stream, String extra) {}

  private record Path2(String name, String url, String model) {}

  public static void main(String[] args) throws Exception {
    Options o = parse(args);
    // wrk drops its connections mid-stream when a run ends; the fake upstream's complaints are noise.
    java.util.logging.Logger.getLogger("io.helidon").setLevel(java.util.logging.Level.SEVERE);
    Wrk.ensureInstalled();
    new BenchHarness().run(o);
  }

  private static Options parse(String[] args) {
    Path repo = Path.of(".").toAbsolutePath().normalize();
    Path out = null;
    int rounds = 3;
    int duration = 10;
    int warmup = 3;
    int samples = 300;
    boolean tiny = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath().normalize();
        case "--out" -> out = Path.of(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--duration" -> duration = Integer.parseInt(args[++i]);
        case "--tiny" -> {
          tiny = true;
          rounds = 1;
          duration = 1;
          warmup = 1;
          samples = 10;
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; usage: bench/run [--tiny] [--rounds N] [--duration SECONDS] [--out FILE]");
      }
    }
    return new Options(repo, out != null ? out : repo.resolve("docs/benchmarks.md"), rounds, duration, warmup, samples, tiny);
  }

  private void run(Options o) throws Exception {
    Path work = Files.createTempDirectory("switchboard-bench");
    try (BenchUpstream upstream = BenchUpstream.start("127.0.0.1", 0);
         ProxyProcess proxy = ProxyProcess.start(o.repo(), work, "http://127.0.0.1:" + upstream.port() + "/v1")) {
      List<Path2> paths = List.of(
          new Path2("direct", "http://127.0.0.1:" + upstream.port() + "/v1/chat/completions", "bench"),
          new Path2("switchboard", "http://127.0.0.1:" + proxy.port() + "/v1/chat/completions", "bench"));
      List<Case> cases = List.of(
          new Case("chat, 1 connection", 1, false, ""),
          new Case("chat, 32 connections", 32, false, ""),
          new Case("stream of 20 chunks, 32 connections", 32, true, ",\"stream\":true,\"bench_chunks\":20"));
      Map<String, Map<String, WrkResult>> results = new LinkedHashMap<>();
      for (Case c : cases) {
        Map<String, Path> bodies = new LinkedHashMap<>();
        for (Path2 p : paths) {
          Path body = work.resolve(p.name() + "-" + results.size() + ".json");
          Files.writeString(body, SMALL_CHAT.formatted(p.model(), c.extra()));
          bodies.put(p.name(), body);
          Wrk.run(p.url(), c.connections(), o.warmupSeconds(), body, o.repo()); // warm-up, not recorded
        }
        Map<String, List<WrkResult>> rounds = new LinkedHashMap<>();
        for (int r = 0; r < o.rounds(); r++) {
          List<Path2> order = new ArrayList<>(paths);
          if (r % 2 == 1) {
            java.util.Collections.reverse(order); // alternate who goes first
          }
          for (Path2 p : order) {
            rounds.computeIfAbsent(p.name(), k -> new ArrayList<>())
                .add(Wrk.run(p.url(), c.connections(), o.durationSeconds(), bodies.get(p.name()), o.repo()));
          }
        }
        Map<String, WrkResult> medians = new LinkedHashMap<>();
        rounds.forEach((name, list) -> medians.put(name, WrkResult.median(list)));
        results.put(c.name(), medians);
        System.out.println(c.name() + ": " + medians);
      }
      byte[] streamBody = SMALL_CHAT.formatted("bench", ",\"stream\":true,\"bench_chunks\":20").getBytes(StandardCharsets.UTF_8);
      byte[] pacedBody = SMALL_CHAT.formatted("bench", ",\"stream\":true,\"bench_chunks\":20,\"bench_chunk_delay_ms\":10")
          .getBytes(StandardCharsets.UTF_8);
      Map<String, List<StreamSampler.Sample>> ttfb = new LinkedHashMap<>();
      Map<String, List<StreamSampler.Sample>> paced = new LinkedHashMap<>();
      int[] ports = {upstream.port(), proxy.port()};
      for (int i = 0; i < paths.size(); i++) {
        StreamSampler.sample("127.0.0.1", ports[i], "/v1/chat/completions", streamBody, Math.max(10, o.samples() / 10)); // warm-up
        ttfb.put(paths.get(i).name(), StreamSampler.sample("127.0.0.1", ports[i], "/v1/chat/completions", streamBody, o.samples()));
        paced.put(paths.get(i).name(), StreamSampler.sample("127.0.0.1", ports[i], "/v1/chat/completions", pacedBody,
            Math.max(5, o.samples() / 20)));
      }
      long rssKb = proxy.peakRssKb();
      String section = BenchReport.section(o, results, ttfb, paced, rssKb);
      BenchReport.write(o.out(), section);
      System.out.println("wrote " + o.out());
    } finally {
      deleteQuietly(work);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp folder left behind is harmless
    }
  }

  // ---- the proxy under test, as its own process ----

  static final class ProxyProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private ProxyProcess(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static ProxyProcess start(Path repo, Path work, String upstreamUrl) throws Exception {
      Path manifests = work.resolve("manifests");
      Files.createDirectories(manifests);
      Files.writeString(manifests.resolve("bench.yaml"), """
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: bench-upstream}
          spec:
            provider: openai-compatible
            url: %s
            models: [{name: bench}]
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: bench}
          spec:
            model: bench
            targets: [{backendRef: {name: bench-upstream}}]
          """.formatted(upstreamUrl));
      Path jar = repo.resolve("proxy/target/switchboard-proxy.jar");
      if (!Files.exists(jar)) {
        throw new IllegalStateException(jar + " is missing: build it first (bench/run does)");
      }
      int port = freePort();
      int admin = freePort();
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xms64m", "-Xmx192m"));
      if (Runtime.version().feature() >= 23) {
        command.add("--sun-misc-unsafe-memory-access=allow");
      }
      command.addAll(List.of("-jar", jar.toString(), "--manifests", manifests.toString(), "--host", "127.0.0.1",
          "--port", Integer.toString(port), "--admin-port", Integer.toString(admin)));
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(work.resolve("proxy.log").toFile())
          .start();
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the proxy exited:\n" + Files.readString(work.resolve("proxy.log")));
        }
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/readyz")).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            return new ProxyProcess(process, port);
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(100);
      }
      process.destroyForcibly();
      throw new IllegalStateException("the proxy did not become ready in 60 s");
    }

    int port() {
      return port;
    }

    /** The highest resident set size the process reached (VmHWM), in KiB. */
    long peakRssKb() throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return 0;
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static String fmt(double value) {
    return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
  }

  static String today() {
    return LocalDate.now().toString();
  }
}
