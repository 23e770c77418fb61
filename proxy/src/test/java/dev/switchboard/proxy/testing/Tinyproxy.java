package dev.switchboard.proxy.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real forward proxy (Debian's {@code tinyproxy}) on a free loopback port, installed with apt-get when missing. */
public final class Tinyproxy implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private Tinyproxy(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  public static Tinyproxy start() throws IOException, InterruptedException {
    return start(List.of());
  }

  /** Started with extra configuration lines, such as {@code BasicAuth user password}. */
  public static Tinyproxy start(List<String> directives) throws IOException, InterruptedException {
    install();
    int port = TestProxy.closedPort();
    Path dir = Files.createTempDirectory("tinyproxy");
    Path conf = dir.resolve("tinyproxy.conf");
    List<String> lines = new java.util.ArrayList<>(List.of("User nobody", "Group nogroup", "Port " + port, "Listen 127.0.0.1",
        "Timeout 60", "Allow 127.0.0.1", "LogLevel Info", "MaxClients 64"));
    lines.addAll(directives);
    lines.add("");
    Files.writeString(conf, String.join("\n", lines));
    Process p = new ProcessBuilder("/usr/bin/tinyproxy", "-d", "-c", conf.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("out.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return new Tinyproxy(p, port, dir.resolve("out.log"));
      } catch (IOException e) {
        if (!p.isAlive()) {
          throw new IllegalStateException("tinyproxy exited: " + Files.readString(dir.resolve("out.log")));
        }
        Thread.sleep(50);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("tinyproxy did not listen");
  }

  private static synchronized void install() throws IOException, InterruptedException {
    if (Files.isExecutable(Path.of("/usr/bin/tinyproxy"))) {
      return;
    }
    for (List<String> step : List.of(List.of("apt-get", "update", "-qq"),
        List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "tinyproxy"))) {
      ProcessBuilder pb = new ProcessBuilder(step).redirectErrorStream(true);
      pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("could not install tinyproxy (" + String.join(" ", step) + "):\n" + out);
      }
    }
  }

  /** The CONNECT requests it has received so far, as {@code host:port} targets. */
  public List<String> tunnels() {
    try {
      return Files.readAllLines(log).stream().filter(l -> l.contains("): CONNECT "))
          .map(l -> l.substring(l.indexOf("): CONNECT ") + 11).split(" ")[0]).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Everything it has logged, for assertion messages. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.destroy();
  }
}
