package dev.switchboard.proxy.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.testing.Browser;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.TestProxy;
import dev.switchboard.proxy.testing.Wire;
import io.helidon.http.HeaderNames;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The console in a real browser (headless Chromium): the page shows a mock backend, an
 * OpenAI-format fake and a backend that refuses connections with their states; Test connection
 * turns the last from unreachable to reachable once its fake starts; the playground streams two
 * answers side by side with their timings; a wrong admin token is refused. Then CORS from pages
 * on other loopback origins: allowed, the streamed answer arrives; not allowed, the browser refuses.
 * Screenshots go to target/console-screenshots (docs/console.md uses them).
 */
@org.junit.jupiter.api.Timeout(value = 20, unit = java.util.concurrent.TimeUnit.MINUTES)
class ConsoleBrowserTest {
  private static final Path SHOTS = Path.of("target/console-screenshots");
  private final List<AutoCloseable> closing = new ArrayList<>();
  private ChromeDriver browser;

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    for (AutoCloseable c : closing.reversed()) {
      try {
        c.close();
      } catch (Exception ignored) {
        // already stopped
      }
    }
  }

  /** An OpenAI-format server: its model list for probes, a short streamed answer for chats. */
  private FakeUpstream openAi(int port) {
    FakeUpstream u = port == 0 ? FakeUpstream.start() : FakeUpstream.start(port);
    closing.add(u);
    u.then((req, res, r) -> {
      if (r.path().endsWith("/models")) {
        res.status(200).header(HeaderNames.CONTENT_TYPE, "application/json").send("{\"object\":\"list\",\"data\":[{\"id\":\"m\"}]}");
        return;
      }
      res.status(200).header(HeaderNames.CONTENT_TYPE, "text/event-stream");
      try (OutputStream out = res.outputStream()) {
        for (String f : List.of(Wire.roleChunk(), Wire.chunk("Hello from "), Wire.chunk("the fake"), Wire.finishChunk("stop"),
            Wire.usageChunk(9, 3), Wire.done())) {
          out.write(f.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
    });
    return u;
  }

  /** The page re-renders its tables every 2 s, so an element found a moment ago may be gone: look again. */
  private static org.awaitility.core.ConditionFactory eventually() {
    return await().ignoreException(org.openqa.selenium.StaleElementReferenceException.class);
  }

  private void shot(String name) throws Exception {
    Files.createDirectories(SHOTS);
    Files.write(SHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
  }

  private String state(String backend) {
    return browser.findElement(By.cssSelector("tr[data-backend='" + backend + "'] .state")).getText();
  }

  private void testConnection(String backend) {
    eventually().atMost(Duration.ofSeconds(10)).until(() -> {
      browser.findElement(By.cssSelector("tr[data-backend='" + backend + "'] button")).click();
      return true;
    });
  }

  @Test
  void theConsoleShowsLiveStateTestsConnectionsAndComparesTwoAnswersSideBySide() throws Exception {
    FakeUpstream fake = openAi(0);
    int latePort = TestProxy.closedPort();
    TestProxy proxy = TestProxy.start(Settings.defaults().withAdminToken("admin-token").inLocalMode());
    closing.add(proxy);
    proxy.serve("""
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: mock}
        spec: {provider: mock, models: [{name: echo, pricing: {input: 1, output: 2}}], mock: {chunkDelay: 60ms, response: "one two three four five six seven eight nine ten"}}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: openai}
        spec: {provider: openai-compatible, url: "%s/v1", models: [{name: m}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: late}
        spec: {provider: openai-compatible, url: "http://127.0.0.1:%d/v1", models: [{name: m}], timeouts: {connect: 1s}}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: chat}
        spec: {model: chat, targets: [{backendRef: {name: mock}, model: echo}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: fast}
        spec: {model: fast, targets: [{backendRef: {name: openai}, model: m}, {backendRef: {name: late}, model: m, priority: 1}]}
        """.formatted(fake.url(), latePort));
    browser = Browser.start(1280, 1000);

    // A wrong token is refused; the right one opens the console.
    browser.get(proxy.adminUrl() + "/");
    eventually().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("login")).isDisplayed());
    browser.findElement(By.id("token")).sendKeys("wrong-token");
    browser.findElement(By.cssSelector("#login button")).click();
    eventually().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("login-error")).getText().contains("refused"));
    browser.findElement(By.id("token")).sendKeys("admin-token");
    browser.findElement(By.cssSelector("#login button")).click();
    eventually().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("console")).isDisplayed()
        && browser.findElements(By.cssSelector("#backends tbody tr")).size() == 3);
    eventually().atMost(Duration.ofSeconds(10)).until(() -> state("default/openai").equals("not probed yet"));

    // Test connection: the fake is reachable, the late one refuses connections until its fake starts.
    testConnection("default/openai");
    eventually().atMost(Duration.ofSeconds(20)).until(() -> state("default/openai").equals("reachable"));
    testConnection("default/late");
    eventually().atMost(Duration.ofSeconds(20)).until(() -> state("default/late").startsWith("unreachable"));
    eventually().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElement(By.cssSelector("tr[data-backend='default/late'] td.error"))
        .getText().isEmpty());
    openAi(latePort);
    testConnection("default/late");
    eventually().atMost(Duration.ofSeconds(20)).until(() -> state("default/late").equals("reachable"));
    eventually().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(browser.findElement(By.cssSelector("tr[data-route='fast']"))
        .getText().replaceAll("\\s+", " ")).contains("default/openai model m (reachable)", "default/late model m (reachable)"));
    shot("console");

    // The playground: two answers side by side, streamed (the text grows), with their timings.
    for (String value : List.of("route:chat", "direct:default/mock|echo")) {
      browser.findElement(By.cssSelector("#choices input[value='" + value + "']")).click();
    }
    browser.findElement(By.id("prompt")).sendKeys("Count to ten.");
    browser.findElement(By.id("send")).click();
    eventually().atMost(Duration.ofSeconds(10)).until(() -> browser.findElements(By.cssSelector("#answers .answer")).size() == 2);
    WebElement first = browser.findElement(By.cssSelector("#answers .answer[data-target='route:chat'] .text"));
    Set<Integer> lengths = new LinkedHashSet<>();
    eventually().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(15)).until(() -> {
      lengths.add(first.getText().length());
      return browser.findElements(By.cssSelector("#answers .answer[data-done='true']")).size() == 2;
    });
    assertThat(lengths).as("seen growing while it streamed, not arriving at once").hasSizeGreaterThanOrEqualTo(3);
    for (WebElement panel : browser.findElements(By.cssSelector("#answers .answer"))) {
      assertThat(panel.findElement(By.cssSelector(".text")).getText()).contains("one two three");
      assertThat(panel.findElement(By.cssSelector(".stats")).getText()).contains("first token", "total", "tokens", "$");
    }
    shot("playground");
    assertThat(proxy.accessLog()).anyMatch(l -> l.contains("\"client\":\"console\"") && l.contains("/admin/playground/chat"));

    browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
    browser.get(proxy.adminUrl() + "/console/");
    eventually().atMost(Duration.ofSeconds(20)).until(() -> browser.findElements(By.cssSelector("#backends tbody tr")).size() == 3);
    shot("console-phone");
  }

  @Test
  void aPageFromAnAllowedOriginStreamsAnswersAndAnotherOriginIsRefusedByTheBrowser() throws Exception {
    String page = """
        <!doctype html><html><body><pre id="out">waiting</pre><script>
        const api = new URLSearchParams(location.search).get('api');
        (async () => {
          try {
            const res = await fetch(api + '/v1/chat/completions', {method: 'POST',
              headers: {'content-type': 'application/json', 'authorization': 'Bearer sk-browser', 'x-stainless-os': 'Linux'},
              body: JSON.stringify({model: 'chat', stream: true, messages: [{role: 'user', content: 'hi'}]})});
            const reader = res.body.getReader(); const dec = new TextDecoder(); let text = '';
            for (;;) { const {done, value} = await reader.read(); if (done) break; text += dec.decode(value, {stream: true}); }
            document.getElementById('out').textContent = 'status ' + res.status + ' request ' + res.headers.get('x-request-id') + '\\n' + text;
          } catch (e) { document.getElementById('out').textContent = 'blocked: ' + e; }
        })();
        </script></body></html>""";
    FakeUpstream allowed = FakeUpstream.start().then(FakeUpstream.text(200, "text/html", page));
    FakeUpstream other = FakeUpstream.start().then(FakeUpstream.text(200, "text/html", page));
    closing.add(allowed);
    closing.add(other);
    TestProxy proxy = TestProxy.start(Settings.defaults().withCorsOrigins(List.of(allowed.url())));
    closing.add(proxy);
    proxy.serve("""
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: mock}
        spec: {provider: mock, models: [{name: echo}], mock: {response: "hello browser"}}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: chat}
        spec: {model: chat, targets: [{backendRef: {name: mock}, model: echo}]}
        """);
    browser = Browser.start(1024, 768);

    browser.get(allowed.url() + "/?api=" + proxy.url());
    eventually().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElement(By.id("out")).getText().equals("waiting"));
    String answer = browser.findElement(By.id("out")).getText();
    assertThat(answer).startsWith("status 200 request ").contains("hello", "[DONE]").doesNotContain("request null");
    assertThat(corsErrors()).as("no CORS error in the browser console").isEmpty();

    browser.get(other.url() + "/?api=" + proxy.url());
    eventually().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElement(By.id("out")).getText().equals("waiting"));
    assertThat(browser.findElement(By.id("out")).getText()).startsWith("blocked: TypeError");
    assertThat(corsErrors()).as("the browser says why").anyMatch(m -> m.contains("CORS"));
  }

  private List<String> corsErrors() {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
        .filter(m -> m.contains("CORS") || m.contains("Access-Control")).collect(Collectors.toList());
  }
}
