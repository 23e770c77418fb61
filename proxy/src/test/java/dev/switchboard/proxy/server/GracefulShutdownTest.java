package dev.switchboard.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.proxy.observe.AccessLog;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.TestProxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A stopping proxy (SIGTERM in a rolling update) finishes the streams it is serving instead of
 * cutting them off, and takes no new connections meanwhile.
 */
class GracefulShutdownTest {
  private static final String[] WORDS = {"one ", "two ", "three ", "four ", "five ", "six ", "seven ", "eight ", "nine ", "ten "};

  @Test
  void streamsInFlightFinishWithinTheGracePeriod() throws Exception {
    // The upstream paces its chunks 150 ms apart: the stream outlives Helidon's default 500 ms grace.
    try (FakeUpstream upstream = FakeUpstream.start()) {
      upstream.then(FakeUpstream.sse(Duration.ofMillis(150), FakeUpstream.streamOf(WORDS)));
      streamSurvivesStop(upstream);
    }
  }

  private void streamSurvivesStop(FakeUpstream upstream) throws Exception {
    ProxyContext context = ProxyServer.context(Settings.defaults(), AccessLog.to(line -> { }), false);
    context.holder().apply(TestProxy.compile("""
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: slow}
        spec: {provider: openai-compatible, url: %s/v1, models: [{name: m}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: chat}
        spec: {model: chat, targets: [{backendRef: {name: slow}, model: m}]}
        """.formatted(upstream.url())));
    ProxyServer server = ProxyServer.start("127.0.0.1", 0, 0, Duration.ofSeconds(20), context);
    String url = "http://127.0.0.1:" + server.port() + "/v1/chat/completions";
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    String first;
    while ((first = reader.readLine()) != null && !first.startsWith("data: ")) {
      // wait for the first event: the stream is in flight
    }
    lines.add(first);

    CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
    // New connections are refused once the listener closes, while the stream goes on.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatThrownBy(() -> http.send(
        HttpRequest.newBuilder(URI.create(url.replace("/v1/chat/completions", "/v1/models"))).build(),
        HttpResponse.BodyHandlers.discarding())).isInstanceOf(ConnectException.class));

    String line;
    while ((line = reader.readLine()) != null) {
      if (line.startsWith("data: ")) {
        lines.add(line);
      }
    }
    assertThat(lines.getLast()).isEqualTo("data: [DONE]");
    String content = lines.stream().filter(l -> l.contains("\"content\":\""))
        .map(l -> l.replaceAll(".*\"content\":\"([^\"]*)\".*", "$1")).reduce("", String::concat);
    assertThat(content).isEqualTo(String.join("", WORDS));
    stopping.get(java.util.concurrent.TimeUnit.SECONDS.toMillis(20), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  @Test
  void anIdleServerStopsAtOnce() throws IOException {
    ProxyContext context = ProxyServer.context(Settings.defaults(), AccessLog.to(line -> { }), false);
    ProxyServer server = ProxyServer.start("127.0.0.1", 0, 0, Duration.ofSeconds(20), context);
    long start = System.nanoTime();
    server.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }
}
