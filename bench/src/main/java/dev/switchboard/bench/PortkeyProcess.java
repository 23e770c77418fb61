package dev.switchboard.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Portkey open-source gateway (npm {@code @portkey-ai/gateway}), the peer the harness
 * measures against: installed with npm ci from bench/portkey's lockfile into bench/target/portkey,
 * and run with Node on loopback.
 */
final class PortkeyProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private PortkeyProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static PortkeyProcess start(Path repo, Path work) throws Exception {
    Path dir = repo.resolve("bench/target/portkey");
    Path server = dir.resolve("node_modules/@portkey-ai/gateway/build/start-server.js");
    if (!Files.exists(server)) {
      Files.createDirectories(dir);
      for (String f : List.of("package.json", "package-lock.json")) {
        Files.copy(repo.resolve("bench/portkey/" + f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error").directory(dir.toFile())
          .redirectErrorStream(true).start();
      String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
        throw new IllegalStateException("npm ci of the Portkey gateway failed in " + dir + ":\n" + out);
      }
    }
    int port = BenchHarness.freePort();
    Process process = new ProcessBuilder("node", server.toString(), "--port=" + port, "--headless")
        .redirectErrorStream(true).redirectOutput(work.resolve("portkey.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the Portkey gateway exited:\n" + Files.readString(work.resolve("portkey.log")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new PortkeyProcess(process, port);
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("the Portkey gateway did not listen within 60 s");
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
