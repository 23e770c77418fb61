package dev.switchboard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs wrk, installing it from the Debian package archive when it is missing. */
final class Wrk {
  private Wrk() {}

  static void ensureInstalled() throws IOException, InterruptedException {
    if (found()) {
      return;
    }
    System.out.println("wrk is not installed; installing the Debian package (apt-get install wrk)");
    String sudo = "root".equals(System.getProperty("user.name")) ? "" : "sudo ";
    Process p = new ProcessBuilder("sh", "-c", sudo + "apt-get update -qq && " + sudo + "apt-get install -y -qq wrk")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || !found()) {
      throw new IllegalStateException("could not install wrk; install it yourself (apt-get install wrk):\n" + out);
    }
  }

  private static boolean found() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, "wrk"))) {
        return true;
      }
    }
    return false;
  }

  /** One wrk run of {@code seconds} with {@code connections} connections POSTing {@code body}. */
  static WrkResult run(String url, int connections, int seconds, Path body, Path repo) throws IOException, InterruptedException {
    return run(url, java.util.Map.of(), connections, seconds, body, repo);
  }

  /** The same with extra request headers. */
  static WrkResult run(String url, java.util.Map<String, String> headers, int connections, int seconds, Path body, Path repo)
      throws IOException, InterruptedException {
    int threads = Math.min(2, connections);
    List<String> command = List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--timeout", "10s",
        "-s", repo.resolve("bench/lua/post.lua").toString(), url);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("BENCH_BODY_FILE", body.toString());
    StringBuilder lines = new StringBuilder();
    headers.forEach((k, v) -> lines.append(k).append(": ").append(v).append('\n'));
    pb.environment().put("BENCH_HEADERS", lines.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("wrk failed:\n" + out);
    }
    return WrkResult.parse(out);
  }
}
