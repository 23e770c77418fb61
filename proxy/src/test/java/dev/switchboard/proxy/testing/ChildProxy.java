package dev.switchboard.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * The packaged proxy in its own JVM with the chart's JVM options ({@code -Xmx128m}, the serial
 * collector, exit on OutOfMemoryError), so a test that exhausts its heap sees a dead process
 * instead of taking the test runner down. Standard output and standard error are kept apart, as
 * a log pipeline sees them.
 */
public final class ChildProxy implements AutoCloseable {
  /** The chart's {@code proxy.javaOptions} (helm/switchboard/values.yaml). */
  public static final List<String> CHART_JVM_OPTIONS = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");
  private static final Pattern HEAP_USED = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\".*} ([0-9.E+]+)$", Pattern.MULTILINE);

  private final Process process;
  private final int port;
  private final int adminPort;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ChildProxy(Process process, int port, int adminPort) {
    this.process = process;
    this.port = port;
    this.adminPort = adminPort;
    follow(process.getInputStream(), stdout);
    follow(process.getErrorStream(), stderr);
  }

  /** Starts {@code target/switchboard-proxy.jar} with these arguments and environment; waits until it listens. */
  public static ChildProxy start(List<String> args, Map<String, String> env) {
    Path jar = Path.of("target/switchboard-proxy.jar").toAbsolutePath();
    assertThat(jar).as("the packaged proxy (failsafe runs after package)").exists();
    int port = TestProxy.closedPort();
    int adminPort = TestProxy.closedPort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(CHART_JVM_OPTIONS);
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-jar", jar.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
        "--admin-port", Integer.toString(adminPort)));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    try {
      ChildProxy child = new ChildProxy(pb.start(), port, adminPort);
      child.process.getOutputStream().close();
      Awaitility.await().atMost(Duration.ofSeconds(60))
          .until(() -> child.stdout.stream().anyMatch(l -> l.startsWith("Listening on")) || !child.process.isAlive());
      assertThat(child.process.isAlive()).as(child.output()).isTrue();
      return child;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void follow(InputStream stream, List<String> into) {
    Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          into.add(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    });
  }

  public int port() {
    return port;
  }

  public int adminPort() {
    return adminPort;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public String adminUrl() {
    return "http://127.0.0.1:" + adminPort;
  }

  public boolean alive() {
    return process.isAlive();
  }

  public List<String> stdout() {
    return List.copyOf(stdout);
  }

  public List<String> stderr() {
    return List.copyOf(stderr);
  }

  /** Both streams, for assertion messages. */
  public String output() {
    return "stdout:\n" + String.join("\n", tail(stdout)) + "\nstderr:\n" + String.join("\n", tail(stderr));
  }

  private static List<String> tail(List<String> lines) {
    return lines.size() <= 40 ? lines : lines.subList(lines.size() - 40, lines.size());
  }

  /** The Prometheus text of {@code /metrics}. */
  public String metrics() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(adminUrl() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.body();
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The heap in use right after a full collection (asked of the JVM with jcmd): what is really kept. */
  public long heapAfterGc() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run").redirectErrorStream(true).start();
      gc.getInputStream().readAllBytes();
      assertThat(gc.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
    long used = 0;
    Matcher m = HEAP_USED.matcher(metrics());
    while (m.find()) {
      used += (long) Double.parseDouble(m.group(1));
    }
    assertThat(used).as("heap metrics").isPositive();
    return used;
  }

  /** A gauge or counter value from /metrics, summed over series that contain {@code labels}. */
  public double metric(String name, String labels) {
    double sum = 0;
    for (String line : metrics().split("\n")) {
      if (line.startsWith(name + "{") && line.contains(labels)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
