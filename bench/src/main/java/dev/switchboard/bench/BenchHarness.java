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
 * Runs the same load against the fake upstream directly, through nginx (the cost of plain
 * forwarding), through Switchboard and through the Portkey gateway, in alternation, and writes the medians to docs/benchmarks.md. Everything runs
 * on this machine, on loopback: the upstream in this JVM, the proxy as its own process (with the
 * heap a 256 MiB container gives it), Portkey under Node, and wrk as the load generator.
 *
 * <p>Usage: {@code bench/run [--tiny] [--rounds N] [--duration S] [--out FILE]}
 */
public final class BenchHarness {
  // Held here: java.util.logging keeps loggers weakly, and a collected one forgets its level.
  private static final java.util.logging.Logger HELIDON_LOG = java.util.logging.Logger.getLogger("io.helidon");

  private static final String SMALL_CHAT =
      "{\"model\":\"%s\",\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},"
          + "{\"role\":\"user\",\"content\":\"Say hello in five words.\"}],\"temperature\":0.2%s}";

  record Options(Path repo, Path out, int rounds, int durationSeconds, int warmupSeconds, int jitWarmupSeconds, int samples, boolean tiny) {}

  /** What a case sends: an OpenAI chat (streamed or not), a 1 MiB chat, or a stream Switchboard translates to Anthropic. */
  enum Kind { CHAT, STREAM, ANTHROPIC_STREAM, BIG_BODY }

  private record Case(String name, int connections, Kind kind) {}

  /** One way to the fake upstream, and how a case's request is addressed on it. */
  private record Target(String name, int port, boolean gateway, boolean portkey, long pid) {
    String path(Kind kind) {
      return kind == Kind.ANTHROPIC_STREAM && !gateway ? "/v1/messages" : "/v1/chat/completions";
    }

    String url(Kind kind) {
      return "http://127.0.0.1:" + port + path(kind);
    }

    String body(Kind kind, String model, String extra) {
      if (kind == Kind.ANTHROPIC_STREAM && !gateway) {
        // Direct means the client speaks the provider's own API.
        return "{\"model\":\"bench\",\"max_tokens\":256,\"system\":\"You are terse.\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in five words.\"}]}";
      }
      String m = kind == Kind.ANTHROPIC_STREAM && !portkey ? "bench-anthropic" : model;
      String more = switch (kind) {
        case STREAM -> ",\"stream\":true" + extra;
        case ANTHROPIC_STREAM -> ",\"stream\":true,\"max_tokens\":256";
        default -> extra;
      };
      return kind == Kind.BIG_BODY ? BIG.formatted(m, more) : SMALL_CHAT.formatted(m, more);
    }

    Map<String, String> headers(Kind kind, int upstreamPort) {
      if (!portkey) {
        return Map.of();
      }
      boolean anthropic = kind == Kind.ANTHROPIC_STREAM;
      return Map.of("x-portkey-provider", anthropic ? "anthropic" : "openai",
          "x-portkey-custom-host", "http://127.0.0.1:" + upstreamPort + "/v1",
          "Authorization", "Bearer bench-key");
    }
  }

  private static final String BIG = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\""
      + "lorem ipsum ".repeat(1024 * 1024 / 12) + "\"}]%s}";

  public static void main(String[] args) throws Exception {
    boolean clientKeys = java.util.Arrays.asList(args).contains("--client-keys");
    Options o = parse(java.util.Arrays.stream(args).filter(a -> !a.equals("--client-keys")).toArray(String[]::new));
    // wrk drops its connections mid-stream when a run ends; the fake upstream's complaints are noise.
    HELIDON_LOG.setLevel(java.util.logging.Level.SEVERE);
    Wrk.ensureInstalled();
    if (clientKeys) {
      ClientKeyBench.run(o);
    } else {
      new BenchHarness().run(o);
    }
  }

  private static Options parse(String[] args) {
    Path repo = Path.of(".").toAbsolutePath().normalize();
    Path out = null;
    int rounds = 3;
    int duration = 10;
    int warmup = 3;
    int jitWarmup = 30;
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
          jitWarmup = 1;
          samples = 10;
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; usage: bench/run [--tiny] [--rounds N] [--duration SECONDS] [--out FILE]");
      }
    }
    return new Options(repo, out != null ? out : repo.resolve("docs/benchmarks.md"), rounds, duration, warmup, jitWarmup, samples, tiny);
  }

  private void run(Options o) throws Exception {
    Path work = Files.createTempDirectory("switchboard-bench");
    dev.switchboard.bench.clients.SelfSignedCert cert = dev.switchboard.bench.clients.SelfSignedCert.create(work);
    try (BenchUpstream upstream = BenchUpstream.start("127.0.0.1", 0);
         BenchUpstream tlsUpstream = BenchUpstream.startTls("127.0.0.1", 0, cert);
         ProxyProcess proxy = ProxyProcess.start(o.repo(), work, upstream.port(), "manifests", tlsBackend(cert, tlsUpstream.port()), List.of());
         PortkeyProcess portkey = PortkeyProcess.start(o.repo(), work);
         NginxProcess nginx = NginxProcess.start(work, upstream.port())) {
      int up = upstream.port();
      // direct's upstream runs inside this harness, so it has no process of its own to measure (pid 0);
      // nginx's work is in its worker processes, not the master the harness started (so none either).
      // nginx forwards the request as it is, so it is addressed like direct.
      List<Target> targets = List.of(new Target("direct", up, false, false, 0), new Target("nginx", nginx.port(), false, false, 0),
          new Target("switchboard", proxy.port(), true, false, proxy.pid()), new Target("portkey", portkey.port(), true, true, portkey.pid()));
      jitWarmup(o, targets, up, work);
      List<Case> cases = List.of(
          new Case("chat, 1 connection", 1, Kind.CHAT),
          new Case("chat, 32 connections", 32, Kind.CHAT),
          new Case("stream of 20 chunks, 32 connections", 32, Kind.STREAM),
          new Case("stream translated to Anthropic, 32 connections", 32, Kind.ANTHROPIC_STREAM),
          new Case("chat with a 1 MiB body, 8 connections", 8, Kind.BIG_BODY));
      Map<String, Map<String, WrkResult>> results = new LinkedHashMap<>();
      for (Case c : cases) {
        Map<String, Path> bodies = new LinkedHashMap<>();
        for (Target t : targets) {
          Path body = work.resolve(t.name() + "-" + results.size() + ".json");
          Files.writeString(body, t.body(c.kind(), "bench", c.kind() == Kind.STREAM ? ",\"bench_chunks\":20" : ""));
          bodies.put(t.name(), body);
          Wrk.run(t.url(c.kind()), t.headers(c.kind(), up), c.connections(), o.warmupSeconds(), body, o.repo()); // warm-up
        }
        for (Target t : targets) {
          ProxyProcess.resetPeakRss(t.pid());
        }
        Map<String, List<WrkResult>> rounds = new LinkedHashMap<>();
        for (int r = 0; r < o.rounds(); r++) {
          List<Target> order = new ArrayList<>(targets);
          java.util.Collections.rotate(order, r); // alternate who goes first
          for (Target t : order) {
            rounds.computeIfAbsent(t.name(), k -> new ArrayList<>())
                .add(Wrk.run(t.url(c.kind()), t.headers(c.kind(), up), c.connections(), o.durationSeconds(), bodies.get(t.name()), o.repo()));
          }
        }
        Map<String, WrkResult> medians = new LinkedHashMap<>();
        for (Target t : targets) {
          medians.put(t.name(), WrkResult.median(rounds.get(t.name())).withPeakRssKb(ProxyProcess.peakRssKb(t.pid())));
        }
        results.put(c.name(), medians);
        System.out.println(c.name() + ": " + medians);
      }
      TlsCase tls = tlsCase(o, proxy, tlsUpstream, work);
      System.out.println("TLS to the upstream: " + tls);
      long proxyPeakKb = results.values().stream().mapToLong(m -> m.get("switchboard").peakRssKb()).max().orElse(0);
      long portkeyPeakKb = results.values().stream().mapToLong(m -> m.get("portkey").peakRssKb()).max().orElse(0);
      Map<String, List<StreamSampler.Sample>> ttfb = new LinkedHashMap<>();
      Map<String, List<StreamSampler.Sample>> paced = new LinkedHashMap<>();
      for (Target t : targets) {
        byte[] stream = t.body(Kind.STREAM, "bench", "").getBytes(StandardCharsets.UTF_8);
        byte[] pacedBody = t.body(Kind.STREAM, "bench-paced", "").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = t.headers(Kind.STREAM, up);
        StreamSampler.sample("127.0.0.1", t.port(), "/v1/chat/completions", headers, stream, Math.max(10, o.samples() / 10)); // warm-up
        ttfb.put(t.name(), StreamSampler.sample("127.0.0.1", t.port(), "/v1/chat/completions", headers, stream, o.samples()));
        paced.put(t.name(), StreamSampler.sample("127.0.0.1", t.port(), "/v1/chat/completions", headers, pacedBody,
            Math.max(5, o.samples() / 20)));
      }
      Soak soak = soak(o, targets.stream().filter(t -> t.name().equals("switchboard")).findFirst().orElseThrow(), proxy, up, work);
      String section = BenchReport.section(o, results, ttfb, paced, new BenchReport.Memory(proxyPeakKb, portkeyPeakKb, soak), tls);
      BenchReport.write(o.out(), section);
      System.out.println("wrote " + o.out());
    } finally {
      deleteQuietly(work);
    }
  }

  /**
   * Brings every path to its steady state before anything is measured. The JVMs here (the proxy,
   * and the upstream inside this harness) share two cores with wrk, so their JIT compilers need
   * tens of seconds of load to finish: measured after a few seconds the proxy ran at half its
   * steady-state throughput. Node's JIT gets the same load.
   */
  private static void jitWarmup(Options o, List<Target> targets, int up, Path work) throws Exception {
    for (Target t : targets) {
      for (Kind kind : List.of(Kind.CHAT, Kind.STREAM, Kind.ANTHROPIC_STREAM)) {
        Path body = work.resolve("jit-" + t.name() + "-" + kind + ".json");
        Files.writeString(body, t.body(kind, "bench", kind == Kind.STREAM ? ",\"bench_chunks\":20" : ""));
        Wrk.run(t.url(kind), t.headers(kind, up), 32, Math.max(1, o.jitWarmupSeconds() / 3), body, o.repo());
      }
    }
  }

  /** Small chats at 32 connections through Switchboard to the plain upstream and to the same upstream behind TLS. */
  record TlsCase(WrkResult plain, WrkResult tls, int connectionsAfterWarmup, int handshakesAfterWarmup) {}

  /** A backend and route ({@code bench-tls}) to the TLS upstream, trusting the bench's certificate through spec.tls.ca. */
  private static String tlsBackend(dev.switchboard.bench.clients.SelfSignedCert cert, int port) throws Exception {
    String pem = "-----BEGIN CERTIFICATE-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.certificate().getEncoded())
        + "\n-----END CERTIFICATE-----\n";
    return """
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: bench-ca}
        data:
          ca.crt: |
        %s
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: bench-tls}
        spec:
          provider: openai-compatible
          url: https://127.0.0.1:%d/v1
          models: [{name: bench}]
          tls: {ca: {configMapRef: {name: bench-ca, key: ca.crt}}}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: bench-tls}
        spec:
          model: bench-tls
          targets: [{backendRef: {name: bench-tls}, model: bench}]
        """.formatted(pem.indent(4).stripTrailing(), port);
  }

  /**
   * The plain and the TLS path in alternation, after the same warm-up (which also fills the
   * proxy's pool to the TLS upstream); the TLS upstream counts the connections that carried
   * requests, so any opened during the measured rounds is a handshake after warm-up.
   */
  private static TlsCase tlsCase(Options o, ProxyProcess proxy, BenchUpstream tlsUpstream, Path work) throws Exception {
    String url = "http://127.0.0.1:" + proxy.port() + "/v1/chat/completions";
    Path plainBody = work.resolve("tls-case-plain.json");
    Path tlsBody = work.resolve("tls-case-tls.json");
    Files.writeString(plainBody, SMALL_CHAT.formatted("bench", ""));
    Files.writeString(tlsBody, SMALL_CHAT.formatted("bench-tls", ""));
    Wrk.run(url, Map.of(), 32, Math.max(o.warmupSeconds(), o.jitWarmupSeconds() / 3), tlsBody, o.repo());
    Wrk.run(url, Map.of(), 32, o.warmupSeconds(), plainBody, o.repo());
    int afterWarmup = tlsUpstream.tlsConnections();
    List<WrkResult> plain = new ArrayList<>();
    List<WrkResult> tls = new ArrayList<>();
    for (int r = 0; r < o.rounds(); r++) {
      boolean tlsFirst = r % 2 == 1;
      for (int i = 0; i < 2; i++) {
        if ((i == 0) == tlsFirst) {
          tls.add(Wrk.run(url, Map.of(), 32, o.durationSeconds(), tlsBody, o.repo()));
        } else {
          plain.add(Wrk.run(url, Map.of(), 32, o.durationSeconds(), plainBody, o.repo()));
        }
      }
    }
    return new TlsCase(WrkResult.median(plain), WrkResult.median(tls), afterWarmup, tlsUpstream.tlsConnections() - afterWarmup);
  }

  /** Resident memory of the proxy after warm-up and after a long run of small chats at 32 connections. */
  record Soak(long requests, long rssAfterWarmupKb, long rssAfterSoakKb) {}

  private static Soak soak(Options o, Target switchboard, ProxyProcess proxy, int up, Path work) throws Exception {
    long target = o.tiny() ? 2_000 : 200_000;
    Path body = work.resolve("soak.json");
    Files.writeString(body, switchboard.body(Kind.CHAT, "bench", ""));
    WrkResult warm = Wrk.run(switchboard.url(Kind.CHAT), Map.of(), 32, o.warmupSeconds() * 2, body, o.repo());
    long before = proxy.currentRssKb();
    long done = 0;
    while (done < target) {
      int seconds = (int) Math.max(1, Math.min(60, Math.ceil((target - done) / Math.max(1.0, warm.requestsPerSecond())) + 1));
      done += Wrk.run(switchboard.url(Kind.CHAT), Map.of(), 32, seconds, body, o.repo()).requests();
    }
    return new Soak(done, before, proxy.currentRssKb());
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

    static ProxyProcess start(Path repo, Path work, int upstreamPort) throws Exception {
      return start(repo, work, upstreamPort, "manifests", "", List.of());
    }

    /**
     * @param name the proxy's folder under {@code work} (several may run side by side)
     * @param extraManifests more YAML documents (a ClientKey, its Secret)
     * @param extraArgs more proxy flags ({@code --redis})
     */
    static ProxyProcess start(Path repo, Path work, int upstreamPort, String name, String extraManifests, List<String> extraArgs)
        throws Exception {
      String upstreamUrl = "http://127.0.0.1:" + upstreamPort + "/v1";
      Path manifests = work.resolve(name);
      Files.createDirectories(manifests);
      Files.writeString(manifests.resolve("bench.yaml"), """
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: bench-upstream}
          spec:
            provider: openai-compatible
            url: %s
            models: [{name: bench}, {name: bench-paced}]
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: bench-anthropic}
          spec:
            provider: anthropic
            url: http://127.0.0.1:%d
            credentials: {secretRef: {name: bench-key, key: api-key}}
            models: [{name: bench}]
          ---
          apiVersion: v1
          kind: Secret
          metadata: {name: bench-key}
          stringData: {api-key: bench-key}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: bench}
          spec:
            model: bench
            targets: [{backendRef: {name: bench-upstream}, model: bench}]
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: bench-paced}
          spec:
            model: bench-paced
            targets: [{backendRef: {name: bench-upstream}, model: bench-paced}]
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: bench-anthropic}
          spec:
            model: bench-anthropic
            targets: [{backendRef: {name: bench-anthropic}, model: bench}]
          """.formatted(upstreamUrl, upstreamPort) + extraManifests);
      Path jar = repo.resolve("proxy/target/switchboard-proxy.jar");
      if (!Files.exists(jar)) {
        throw new IllegalStateException(jar + " is missing: build it first (bench/run does)");
      }
      int port = freePort();
      int admin = freePort();
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      command.addAll(chartJavaOptions(repo));
      if (Runtime.version().feature() >= 23) {
        command.add("--sun-misc-unsafe-memory-access=allow");
      }
      command.addAll(List.of("-jar", jar.toString(), "--manifests", manifests.toString(), "--host", "127.0.0.1",
          "--port", Integer.toString(port), "--admin-port", Integer.toString(admin)));
      command.addAll(extraArgs);
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(work.resolve(name + ".log").toFile())
          .start();
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the proxy exited:\n" + Files.readString(work.resolve(name + ".log")));
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
    long pid() {
      return process.pid();
    }

    /** The JVM options the Helm chart gives proxy pods by default: the proxy is measured as it runs. */
    static List<String> chartJavaOptions(Path repo) throws IOException {
      String options = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
          .readTree(repo.resolve("helm/switchboard/values.yaml").toFile()).at("/proxy/javaOptions").asText();
      return List.of(options.strip().split("\\s+"));
    }

    /** Starts a new peak: the kernel resets VmHWM to the current resident set (proc(5), clear_refs). */
    static void resetPeakRss(long pid) throws IOException {
      if (pid > 0) {
        Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
      }
    }

    long currentRssKb() throws IOException {
      return status(process.pid(), "VmRSS:");
    }

    static long peakRssKb(long pid) throws IOException {
      return pid > 0 ? status(pid, "VmHWM:") : 0;
    }

    private static long status(long pid, String field) throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field)) {
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
