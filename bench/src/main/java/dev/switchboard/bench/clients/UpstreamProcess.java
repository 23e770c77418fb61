package dev.switchboard.bench.clients;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link FakeUpstream} in a JVM of its own (the same java and class path as this one), and its counters. */
public final class UpstreamProcess implements AutoCloseable {
  /** Counters read at the server; {@code used} is the distinct connections since the previous read. */
  public record Stats(long accepted, long handshakes, long used, long http1Requests, long http2Requests) {}

  private final Process process;
  private final BufferedReader out;
  private final PrintWriter in;
  private final int plainPort;
  private final int tlsPort;

  private UpstreamProcess(Process process, BufferedReader out, PrintWriter in, int plainPort, int tlsPort) {
    this.process = process;
    this.out = out;
    this.in = in;
    this.plainPort = plainPort;
    this.tlsPort = tlsPort;
  }

  public static UpstreamProcess start(SelfSignedCert cert, Path log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:+IgnoreUnrecognizedVMOptions",
        "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"), FakeUpstream.class.getName(),
        cert.keystore().toString(), cert.password()));
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    PrintWriter in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    String line = out.readLine();
    if (line == null || !line.startsWith("ports ")) {
      process.destroyForcibly();
      throw new IllegalStateException("the fake upstream did not start (see " + log + "): " + line);
    }
    String[] ports = line.split(" ");
    return new UpstreamProcess(process, out, in, Integer.parseInt(ports[1]), Integer.parseInt(ports[2]));
  }

  public int plainPort() {
    return plainPort;
  }

  public int tlsPort() {
    return tlsPort;
  }

  public long pid() {
    return process.pid();
  }

  public synchronized Stats stats() throws IOException {
    in.println("stats");
    String line = out.readLine();
    if (line == null || !line.startsWith("stats ")) {
      throw new IOException("the fake upstream stopped answering: " + line);
    }
    String[] f = line.split(" ");
    return new Stats(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]));
  }

  @Override
  public void close() {
    in.close();
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
