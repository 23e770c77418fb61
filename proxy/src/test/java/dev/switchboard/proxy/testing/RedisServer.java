package dev.switchboard.proxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on loopback for tests, on a free port, with nothing saved to disk.
 * The project installs it itself where it is missing (Debian's {@code redis-server} package, as
 * root), so a fresh machine needs nothing beyond what CI gives.
 */
public final class RedisServer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path dir;

  private RedisServer(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  public static RedisServer start() throws IOException, InterruptedException {
    String binary = binary();
    int port = TestProxy.closedPort();
    Path dir = Files.createTempDirectory("redis");
    Process p = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", dir.toString(), "--protected-mode", "yes").redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
    RedisServer server = new RedisServer(p, port, dir);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!server.ping()) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        server.close();
        throw new IllegalStateException("redis-server did not start: " + Files.readString(dir.resolve("log")));
      }
      Thread.sleep(20);
    }
    return server;
  }

  /** {@code redis-server} on PATH, installed with apt-get first when it is not there. */
  static synchronized String binary() throws IOException, InterruptedException {
    for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    for (List<String> step : List.of(List.of("apt-get", "update", "-qq"),
        List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "redis-server"))) {
      ProcessBuilder pb = new ProcessBuilder(step).redirectErrorStream(true);
      pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("could not install redis-server (" + String.join(" ", step) + "):\n" + out);
      }
    }
    return "/usr/bin/redis-server";
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Whether the server answers PING now. */
  public boolean ping() {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] reply = new byte[7];
      int n = in.read(reply);
      return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
