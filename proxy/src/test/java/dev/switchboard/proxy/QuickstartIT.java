package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.testing.NodeSdk;
import dev.switchboard.proxy.testing.TestProxy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's main command as a user runs it: the packaged jar with java -jar in local mode on
 * examples/quickstart, asked with curl and with the official OpenAI SDK.
 */
class QuickstartIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void clusterModeWithoutAnAdminTokenRefusesToStartAndSaysWhy() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        Path.of("target/switchboard-proxy.jar").toAbsolutePath().toString(), "--port", "0", "--admin-port", "1")
        .redirectErrorStream(true);
    pb.environment().remove("SWITCHBOARD_ADMIN_TOKEN");
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(out).contains("cluster mode needs SWITCHBOARD_ADMIN_TOKEN", "--manifests").doesNotContain("Exception");
  }

  /**
   * What the README promises: open the printed console address, see the quickstart's backends
   * and routes live, press Test connection, and compare its two routes side by side.
   */
  private static void consoleAsANewUserSeesIt(List<String> output) throws Exception {
    String listening = output.stream().filter(l -> l.startsWith("Listening on")).findFirst().orElseThrow();
    java.util.regex.Matcher url = java.util.regex.Pattern.compile("console, admin, health and metrics on (http://[^ )]+/)").matcher(listening);
    assertThat(url.find()).as(listening).isTrue();
    org.openqa.selenium.chrome.ChromeDriver browser = dev.switchboard.proxy.testing.Browser.start(1280, 1000);
    try {
      var eventually = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
          .ignoreException(org.openqa.selenium.StaleElementReferenceException.class);
      browser.get(url.group(1));
      eventually.until(() -> browser.findElements(org.openqa.selenium.By.cssSelector("#backends tbody tr")).size() == 2
          && browser.findElements(org.openqa.selenium.By.cssSelector("#routes tbody tr")).size() == 2);
      eventually.until(() -> {
        browser.findElement(org.openqa.selenium.By.cssSelector("tr[data-backend='default/mock'] button")).click();
        return true;
      });
      eventually.until(() -> browser.findElement(org.openqa.selenium.By.cssSelector("tr[data-backend='default/mock'] .state")).getText()
          .equals("reachable"));
      for (String route : List.of("route:chat", "route:chat-slow")) {
        browser.findElement(org.openqa.selenium.By.cssSelector("#choices input[value='" + route + "']")).click();
      }
      browser.findElement(org.openqa.selenium.By.id("prompt")).sendKeys("Hello, side by side!");
      browser.findElement(org.openqa.selenium.By.id("send")).click();
      eventually.until(() -> browser.findElements(org.openqa.selenium.By.cssSelector("#answers .answer[data-done='true']")).size() == 2);
      assertThat(browser.findElements(org.openqa.selenium.By.cssSelector("#answers .answer .text")))
          .allSatisfy(t -> assertThat(t.getText()).isEqualTo("Hello, side by side!"));
    } finally {
      browser.quit();
    }
  }

  @Test
  void aPortInUseIsAClearErrorNotAListeningLine() throws Exception {
    Path repo = Path.of(System.getProperty("switchboard.repoRoot", "..")).toAbsolutePath();
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
          Path.of("target/switchboard-proxy.jar").toAbsolutePath().toString(), "--manifests",
          repo.resolve("examples/quickstart").toString(), "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()),
          "--admin-port", Integer.toString(TestProxy.closedPort())).redirectErrorStream(true);
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isEqualTo(1);
      assertThat(out).contains("cannot listen on 127.0.0.1 port " + taken.getLocalPort()).doesNotContain("Listening on");
    }
  }

  @Test
  void theQuickstartAnswersCurlAndTheSdk() throws Exception {
    Path repo = Path.of(System.getProperty("switchboard.repoRoot", "..")).toAbsolutePath();
    Path jar = Path.of("target/switchboard-proxy.jar").toAbsolutePath();
    assertThat(jar).exists();
    int port = TestProxy.closedPort();
    int adminPort = TestProxy.closedPort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-jar", jar.toString(), "--manifests", repo.resolve("examples/quickstart").toString(),
        "--host", "127.0.0.1", "--port", Integer.toString(port), "--admin-port", Integer.toString(adminPort)));
    Process proxy = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> output = new CopyOnWriteArrayList<>();
    Thread reader = Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          output.add(line);
        }
      } catch (java.io.IOException ignored) {
        // the process ended
      }
    });
    long start = System.nanoTime();
    try {
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
          .until(() -> output.stream().anyMatch(l -> l.startsWith("Listening on")) || !proxy.isAlive());
      assertThat(proxy.isAlive()).as(String.join("\n", output)).isTrue();
      long startupMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(output).anyMatch(l -> l.contains("chat (aliases: default) -> failover"));
      assertThat(output).anyMatch(l -> l.matches("Listening on http://127\\.0\\.0\\.1:\\d+/v1 .*, started in \\d+\\.\\d\\d s"));
      assertThat(output).noneMatch(l -> l.contains("Exception") || l.contains("SLF4J") || l.contains("WARNING: sun.misc"));

      Process curl = new ProcessBuilder("curl", "-s", "--max-time", "20", "http://127.0.0.1:" + port + "/v1/chat/completions",
          "-H", "content-type: application/json",
          "-d", "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}").start();
      String answer = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
      JsonNode reply = JSON.readTree(answer);
      assertThat(reply.at("/choices/0/message/content").asText()).isEqualTo("Hello!");
      // The access log reaches standard output as one JSON line per request, after the startup lines.
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .until(() -> output.stream().anyMatch(l -> l.startsWith("{\"ts\":")));
      JsonNode logged = JSON.readTree(output.stream().filter(l -> l.startsWith("{\"ts\":")).findFirst().orElseThrow());
      assertThat(logged.get("path").asText()).isEqualTo("/v1/chat/completions");
      assertThat(logged.get("route").asText()).isEqualTo("default/chat");
      assertThat(logged.get("status").asInt()).isEqualTo(200);
      assertThat(java.time.Instant.parse(logged.get("ts").asText())).isBefore(java.time.Instant.now());

      NodeSdk.Run sdk = NodeSdk.run(Map.of("BASE_URL", "http://127.0.0.1:" + port + "/v1", "MODEL", "chat"));
      assertThat(sdk.lines()).as(sdk.stderr()).hasSize(7).allMatch(l -> l.contains("\"ok\":true"));
      Files.writeString(Path.of("target/quickstart-startup-millis.txt"), Long.toString(startupMillis));
      consoleAsANewUserSeesIt(output);
    } finally {
      proxy.destroy();
      assertThat(proxy.waitFor(20, TimeUnit.SECONDS)).as("the proxy stops on SIGTERM").isTrue();
      reader.join(5000);
    }
  }
}
