package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.compiler.Compilation;
import dev.switchboard.compiler.ConfigCompiler;
import dev.switchboard.config.RoutingConfigJson;
import dev.switchboard.manifest.ManifestReader;
import dev.switchboard.manifest.ManifestSet;
import dev.switchboard.proxy.testing.TestProxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container image's runtime, made without Docker by {@code ./switchboard image-layout}: a
 * jlinked Java with only the modules the proxy needs, and the proxy started the way the image's
 * entrypoint starts it ({@code java @app/java.args}) in cluster mode from a snapshot, as a pod
 * does. It must serve, speak TLS, and stop cleanly; its size and its startup with and without the
 * ahead-of-time cache are recorded in target/image/measurements.json for docs/benchmarks.md.
 */
class RuntimeImageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path IMAGE = Path.of("target/image").toAbsolutePath();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static final Map<String, Object> MEASURED = new java.util.TreeMap<>();

  @BeforeAll
  static void buildTheLayout() throws Exception {
    Path repo = Path.of(System.getProperty("switchboard.repoRoot", "..")).toAbsolutePath();
    Process build = new ProcessBuilder("bash", repo.resolve("switchboard").toString(), "image-layout", "proxy", IMAGE.toString(),
        "--aot", "--no-build").redirectErrorStream(true).redirectOutput(Path.of("target/image-layout.log").toFile()).start();
    assertThat(build.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(build.exitValue()).as(Files.readString(Path.of("target/image-layout.log"))).isZero();
  }

  @Test
  void theDockerfileBuildsAndRunsThisLayout() throws IOException {
    Path repo = Path.of(System.getProperty("switchboard.repoRoot", "..")).toAbsolutePath();
    assertThat(Files.readString(repo.resolve("proxy/Dockerfile")))
        .contains("image-layout proxy /opt/switchboard --aot", "USER 65532",
            "ENTRYPOINT [\"/opt/switchboard/runtime/bin/java\", \"@/opt/switchboard/app/java.args\"]");
  }

  @Test
  void theRuntimeHoldsOnlyWhatTheProxyNeeds() throws Exception {
    String modules = run(IMAGE.resolve("runtime/bin/java").toString(), "--list-modules");
    assertThat(modules).contains("java.base", "jdk.unsupported", "jdk.crypto.ec")
        .doesNotContain("jdk.compiler", "jdk.jshell", "jdk.jlink", "java.rmi");
    // Every provider call is HTTPS: the runtime must carry the TLS and elliptic-curve providers and the CA certificates.
    String security = run(IMAGE.resolve("runtime/bin/java").toString(), "-XshowSettings:security:providers", "-version");
    assertThat(security).contains("SunJSSE", "SunEC");
    assertThat(IMAGE.resolve("runtime/lib/security/cacerts")).exists();
    assertThat(IMAGE.resolve("runtime/bin")).isDirectoryNotContaining("glob:**/javac");
    long runtimeBytes = size(IMAGE.resolve("runtime"));
    long appBytes = size(IMAGE.resolve("app"));
    MEASURED.put("runtimeMiB", runtimeBytes / (1024 * 1024));
    MEASURED.put("appMiB", appBytes / (1024 * 1024));
    MEASURED.put("modules", modules.lines().map(l -> l.replaceAll("@.*", "")).toList());
    save();
  }

  @Test
  void theEntrypointServesFromTheSnapshotWithAndWithoutTheAotCache() throws Exception {
    Path snapshot = writeSnapshot();
    List<String> args = Files.readAllLines(IMAGE.resolve("app/java.args"));
    assertThat(args).anyMatch(a -> a.startsWith("-XX:AOTCache="));
    Path withoutCache = IMAGE.resolve("app/java-no-aot.args");
    Files.write(withoutCache, args.stream().filter(a -> !a.startsWith("-XX:AOTCache=")).toList());

    // Alternate, twice each, and keep the faster of each: the machine is shared and noisy.
    long aot = Long.MAX_VALUE;
    long plain = Long.MAX_VALUE;
    for (int i = 0; i < 2; i++) {
      aot = Math.min(aot, startServeStop(IMAGE.resolve("app/java.args"), snapshot, i == 0));
      plain = Math.min(plain, startServeStop(withoutCache, snapshot, false));
    }
    MEASURED.put("firstChatMillisWithAotCache", aot);
    MEASURED.put("firstChatMillisWithoutAotCache", plain);
    save();
  }

  /** Starts the proxy like the image does, waits for its first chat answer, checks it, stops it; returns the milliseconds to that answer. */
  private static long startServeStop(Path argFile, Path snapshot, boolean fullCheck) throws Exception {
    int port = TestProxy.closedPort();
    int adminPort = TestProxy.closedPort();
    ProcessBuilder pb = new ProcessBuilder(IMAGE.resolve("runtime/bin/java").toString(), "@" + argFile,
        "--snapshot", snapshot.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
        "--admin-port", Integer.toString(adminPort), "--shutdown-grace", "10s").redirectErrorStream(true);
    pb.environment().put("SWITCHBOARD_ADMIN_TOKEN", "image-test-token");
    pb.environment().put("JDK_JAVA_OPTIONS", chartJavaOptions());
    long start = System.nanoTime();
    Process proxy = pb.start();
    List<String> output = new CopyOnWriteArrayList<>();
    Thread reader = Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          output.add(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    });
    String chat = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello from the image\"}]}";
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
          .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(chat)).build();
      HttpResponse<String> first = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).pollDelay(Duration.ZERO)
          .ignoreExceptions().until(() -> HTTP.send(request, HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 200 || !proxy.isAlive());
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(first.statusCode()).as(String.join("\n", output)).isEqualTo(200);
      assertThat(JSON.readTree(first.body()).at("/choices/0/message/content").asText()).isEqualTo("Hello from the image");
      if (fullCheck) {
        HttpResponse<String> stream = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(chat.replace("{\"model\"", "{\"stream\":true,\"model\""))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(stream.body()).contains("\"content\":\"Hello").endsWith("data: [DONE]\n\n");
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(output).as("nothing alarming at start").noneMatch(l -> l.contains("Exception") || l.contains("WARNING")
            || l.contains("[warning]") || l.contains("[error]"));
      }
      return millis;
    } finally {
      proxy.destroy();
      assertThat(proxy.waitFor(20, TimeUnit.SECONDS)).as("the proxy stops on SIGTERM").isTrue();
      reader.join(5000);
    }
  }

  /** The JVM options the Helm chart gives proxy pods by default, so the image is measured as it runs. */
  static String chartJavaOptions() throws IOException {
    Path repo = Path.of(System.getProperty("switchboard.repoRoot", "..")).toAbsolutePath();
    String options = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
        .readTree(repo.resolve("helm/switchboard/values.yaml").toFile()).at("/proxy/javaOptions").asText();
    assertThat(options).contains("-Xmx");
    return options;
  }

  /** A config with a mock route answering at once, written as the operator writes the snapshot Secret's key. */
  private static Path writeSnapshot() throws IOException {
    ManifestReader reader = new ManifestReader(TestProxy.VALIDATOR, name -> Optional.empty());
    ManifestSet set = reader.read("image.yaml", """
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: mock}
        spec: {provider: mock, models: [{name: echo}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: chat}
        spec: {model: chat, targets: [{backendRef: {name: mock}, model: echo}]}
        """);
    Compilation c = new ConfigCompiler(TestProxy.VALIDATOR).compile(set.backends(), set.routes(), set.clientKeys(), set.secretLookup());
    assertThat(c.problems()).isEmpty();
    Path file = Path.of("target/image-test/config.json.gz").toAbsolutePath();
    Files.createDirectories(file.getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(RoutingConfigJson.write(RoutingConfigJson.withVersion(c.config())));
    }
    return file;
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static synchronized void save() throws IOException {
    Files.writeString(IMAGE.resolve("measurements.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(MEASURED));
  }
}
