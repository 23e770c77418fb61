package dev.switchboard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a ClientKey with limits and a budget adds per request ({@code bench/run --client-keys}):
 * p50 at one connection on an open proxy, on one checking a ClientKey in its own memory, and on
 * one checking it in a loopback {@code redis-server} (Debian's, installed when missing), side by
 * side, each round alternating who goes first. Prints the table to paste into docs/benchmarks.md.
 */
final class ClientKeyBench {
  private static final String CLIENT_KEY = """
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: bench-client}
      stringData: {key: sk-sb-bench-client}
      ---
      apiVersion: switchboard.dev/v1alpha1
      kind: ClientKey
      metadata: {name: bench-team}
      spec:
        secretRef: {name: bench-client, key: key}
        limits: {requestsPerMinute: 2000000000, tokensPerMinute: 2000000000, maxConcurrent: 1000}
        budget: {usd: 1000000000, period: month}
      """;

  private ClientKeyBench() {}

  static void run(BenchHarness.Options o) throws Exception {
    Path work = Files.createTempDirectory("switchboard-bench-ck");
    Process redis = null;
    try (BenchUpstream upstream = BenchUpstream.start("127.0.0.1", 0)) {
      int redisPort = BenchHarness.freePort();
      redis = startRedis(work, redisPort);
      Map<String, String> key = Map.of("Authorization", "Bearer sk-sb-bench-client");
      try (var open = BenchHarness.ProxyProcess.start(o.repo(), work, upstream.port(), "open", "", List.of());
           var local = BenchHarness.ProxyProcess.start(o.repo(), work, upstream.port(), "local", CLIENT_KEY, List.of());
           var shared = BenchHarness.ProxyProcess.start(o.repo(), work, upstream.port(), "redis", CLIENT_KEY,
               List.of("--redis", "redis://127.0.0.1:" + redisPort))) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("no key (open gateway)", open.port());
        ports.put("ClientKey with limits and budget, no Redis", local.port());
        ports.put("ClientKey with limits and budget, loopback Redis", shared.port());
        Path body = work.resolve("chat.json");
        Files.writeString(body, "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}");
        int warm = o.tiny() ? 1 : 30;
        for (var e : ports.entrySet()) {
          Map<String, String> headers = e.getValue() == open.port() ? Map.of() : key;
          Wrk.run("http://127.0.0.1:" + e.getValue() + "/v1/chat/completions", headers, 4, warm, body, o.repo());
        }
        Map<String, List<WrkResult>> rounds = new LinkedHashMap<>();
        List<String> order = new ArrayList<>(ports.keySet());
        for (int r = 0; r < o.rounds(); r++) {
          java.util.Collections.rotate(order, 1);
          for (String name : order) {
            int port = ports.get(name);
            Map<String, String> headers = port == open.port() ? Map.of() : key;
            WrkResult result = Wrk.run("http://127.0.0.1:" + port + "/v1/chat/completions", headers, 1, o.durationSeconds(), body, o.repo());
            if (result.errors() > 0) {
              throw new IllegalStateException(name + ": " + result.errors() + " requests failed");
            }
            rounds.computeIfAbsent(name, k -> new ArrayList<>()).add(result);
          }
        }
        double base = WrkResult.median(rounds.get(order.stream().filter(n -> n.startsWith("no key")).findFirst().orElseThrow()))
            .p50Millis();
        StringBuilder table = new StringBuilder("| chat, 1 connection | p50 ms | added p50 ms | req/s |\n| --- | --- | --- | --- |\n");
        for (String name : ports.keySet()) {
          WrkResult m = WrkResult.median(rounds.get(name));
          table.append("| ").append(name).append(" | ").append(BenchHarness.fmt(m.p50Millis())).append(" | ")
              .append(BenchHarness.fmt(m.p50Millis() - base)).append(" | ").append(BenchHarness.fmt(m.requestsPerSecond())).append(" |\n");
        }
        System.out.println(table);
      }
    } finally {
      if (redis != null) {
        redis.destroy();
      }
    }
  }

  private static Process startRedis(Path work, int port) throws Exception {
    String binary = Files.exists(Path.of("/usr/bin/redis-server")) ? "/usr/bin/redis-server" : null;
    if (binary == null) {
      new ProcessBuilder("apt-get", "install", "-y", "-qq", "--no-install-recommends", "redis-server").inheritIO().start().waitFor();
      binary = "/usr/bin/redis-server";
    }
    Process p = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
        .redirectErrorStream(true).redirectOutput(work.resolve("redis.log").toFile()).start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (var socket = new java.net.Socket("127.0.0.1", port)) {
        return p;
      } catch (java.io.IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("redis-server did not start: " + Files.readString(work.resolve("redis.log")));
  }
}
