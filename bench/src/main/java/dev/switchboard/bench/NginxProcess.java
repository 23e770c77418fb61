package dev.switchboard.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * nginx (Debian's {@code nginx-light}) as a plain reverse proxy to the fake upstream: the anchor
 * for what forwarding an HTTP request costs on this machine. Configured as one would front an
 * LLM API: HTTP/1.1 keep-alive to the upstream, no buffering of requests or answers (streams
 * pass as they come), its access log on like Switchboard's, a worker per core. Installed with
 * apt-get when missing.
 */
final class NginxProcess implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/nginx");

  private final Process process;
  private final int port;

  private NginxProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static NginxProcess start(Path work, int upstreamPort) throws Exception {
    install();
    Path dir = Files.createDirectories(work.resolve("nginx"));
    int port = BenchHarness.freePort();
    boolean root = "root".equals(System.getProperty("user.name"));
    Files.writeString(dir.resolve("nginx.conf"), """
        %s
        worker_processes auto;
        error_log %s/error.log warn;
        pid %s/nginx.pid;
        events { worker_connections 4096; }
        http {
          access_log %s/access.log;
          client_body_temp_path %s/body;
          proxy_temp_path %s/proxy;
          client_max_body_size 20m;
          client_body_buffer_size 2m;
          upstream fake { server 127.0.0.1:%d; keepalive 64; }
          server {
            listen 127.0.0.1:%d;
            location / {
              proxy_pass http://fake;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_buffering off;
              proxy_request_buffering off;
            }
          }
        }
        """.formatted(root ? "user root;" : "", dir, dir, dir, dir, dir, upstreamPort, port));
    Process process = new ProcessBuilder(BINARY.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
        "-g", "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("nginx exited:\n" + Files.readString(dir.resolve("stdout.log")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new NginxProcess(process, port);
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("nginx did not listen within 30 s");
  }

  private static synchronized void install() throws IOException, InterruptedException {
    if (Files.isExecutable(BINARY)) {
      return;
    }
    System.out.println("nginx is not installed; installing the Debian package (apt-get install nginx-light)");
    String sudo = "root".equals(System.getProperty("user.name")) ? "" : "sudo ";
    Process p = new ProcessBuilder("sh", "-c", sudo + "apt-get update -qq && DEBIAN_FRONTEND=noninteractive " + sudo
        + "apt-get install -y -qq --no-install-recommends nginx-light").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.isExecutable(BINARY)) {
      throw new IllegalStateException("could not install nginx; install it yourself (apt-get install nginx-light):\n" + out);
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
