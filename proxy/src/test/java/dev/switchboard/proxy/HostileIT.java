package dev.switchboard.proxy;

import static dev.switchboard.proxy.testing.RawUpstream.chunk;
import static dev.switchboard.proxy.testing.RawUpstream.json;
import static dev.switchboard.proxy.testing.RawUpstream.lastChunk;
import static dev.switchboard.proxy.testing.RawUpstream.streamHead;
import static dev.switchboard.proxy.testing.RawUpstream.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.testing.ChildProxy;
import dev.switchboard.proxy.testing.RawHttp;
import dev.switchboard.proxy.testing.RawUpstream;
import dev.switchboard.proxy.testing.Wire;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy as an attacker meets it: the packaged jar in local mode, in its own JVM with the
 * chart's options ({@code -Xmx128m}, exit on OutOfMemoryError), against hostile clients and
 * hostile upstreams. A canary chat runs throughout and must keep succeeding; one secret (the
 * backends' key, the client key and the admin token at once) must never appear in anything the
 * proxy writes; and 30 s of every attack at once must leave the proxy answering, with its heap
 * where it started.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Not shaped like any key, so only masking by value can hide it. */
  private static final String SENTINEL = "Zx" + randomAlnum(30);
  private static final String PREFIX = SENTINEL.substring(0, 6);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int MAX_CONNECTIONS = 400;

  @TempDir
  static Path manifests;
  private static final Map<String, RawUpstream> upstreams = new LinkedHashMap<>();
  private static ChildProxy proxy;
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** Every response body the proxy gave, for the secret check. */
  private static final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();

  private Thread canary;
  private final AtomicBoolean canaryRunning = new AtomicBoolean();
  private final List<String> canaryFailures = new CopyOnWriteArrayList<>();
  private final AtomicInteger canaryOk = new AtomicInteger();

  private static String randomAlnum(int n) {
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789";
    SecureRandom random = new SecureRandom();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  // ---- hostile upstreams: each one backend and one route of the same name ----

  /** Answers probes (GET .../models) like a healthy server, everything else with {@code attack}. */
  private static RawUpstream.Script probesOk(RawUpstream.Script attack) {
    return (req, out) -> {
      if (req.path().endsWith("/models")) {
        json(out, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"m\",\"object\":\"model\"}]}");
      } else {
        attack.answer(req, out);
      }
    };
  }

  private static Map<String, RawUpstream.Script> hostileUpstreams() {
    Map<String, RawUpstream.Script> s = new LinkedHashMap<>();
    s.put("good", probesOk((req, out) -> json(out, 200, Wire.completion("fine"))));
    // Announces a gigabyte, sends a little, then nothing: the proxy must not reserve what is announced.
    s.put("lies-about-length", probesOk((req, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n{\"id\":");
      Thread.sleep(1000);
    }));
    // A body without end: the proxy stops at its answer limit.
    s.put("endless-body", probesOk((req, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
      String piece = "x".repeat(64 * 1024);
      for (int i = 0; i < 2048; i++) {
        chunk(out, piece);
      }
    }));
    // The whole answer, then the connection held open: the client's stream must end at [DONE].
    s.put("holds-after-done", probesOk((req, out) -> {
      streamHead(out);
      chunk(out, Wire.roleChunk());
      chunk(out, Wire.chunk("done "));
      chunk(out, Wire.finishChunk("stop"));
      chunk(out, Wire.done());
      Thread.sleep(30_000);
      lastChunk(out);
    }));
    // The key in every field of an error object but the message.
    s.put("key-in-error-fields", probesOk((req, out) -> json(out, 400, "{\"error\":{\"message\":\"" + "m".repeat(995) + SENTINEL
        + "\",\"type\":\"" + SENTINEL + "\",\"param\":\"" + SENTINEL + "\",\"code\":\"" + SENTINEL + "\"}}")));
    s.put("key-in-stream-error", probesOk((req, out) -> {
      streamHead(out);
      chunk(out, Wire.roleChunk());
      chunk(out, "data: {\"error\":{\"message\":\"bad key " + SENTINEL + "\",\"type\":\"" + SENTINEL + "\",\"code\":\"" + SENTINEL + "\"}}\n\n");
      lastChunk(out);
    }));
    s.put("key-in-malformed-line", probesOk((req, out) -> {
      streamHead(out);
      chunk(out, Wire.roleChunk());
      chunk(out, "data: {oops " + SENTINEL + "\n\n");
      lastChunk(out);
    }));
    s.put("not-json-chunk", probesOk((req, out) -> {
      streamHead(out);
      chunk(out, Wire.roleChunk());
      chunk(out, "data: this is not json\n\n");
      chunk(out, Wire.finishChunk("stop"));
      chunk(out, Wire.done());
      lastChunk(out);
    }));
    s.put("too-many-headers", probesOk((req, out) -> {
      StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\n");
      for (int i = 0; i < 5000; i++) {
        head.append("X-Filler-").append(i).append(": ").append("v".repeat(40)).append("\r\n");
      }
      write(out, head + "Content-Length: 2\r\n\r\n{}");
    }));
    // The upstream process dies in the middle of a chunk.
    s.put("killed-mid-stream", probesOk((req, out) -> {
      streamHead(out);
      chunk(out, Wire.roleChunk());
      write(out, "40\r\ndata: {\"partial");
      throw new IOException("killed");
    }));
    s.put("huge-event", probesOk((req, out) -> {
      streamHead(out);
      chunk(out, Wire.roleChunk());
      String piece = "a".repeat(64 * 1024);
      chunk(out, "data: {\"x\":\"");
      for (int i = 0; i < 256; i++) {
        chunk(out, piece);
      }
    }));
    // Pings forever: lively, so no idle timeout fires; only the stream's duration limit ends it.
    s.put("endless-pings", probesOk((req, out) -> {
      streamHead(out);
      chunk(out, Wire.roleChunk());
      for (int i = 0; i < 100_000; i++) {
        chunk(out, ": ping\n\n");
        Thread.sleep(50);
      }
    }));
    // Probes that fail with the key in the answer.
    s.put("probe-leaks", (req, out) -> json(out, 401, "{\"error\":{\"message\":\"Incorrect API key " + SENTINEL
        + "\",\"code\":\"" + SENTINEL + "\"}}"));
    return s;
  }

  @BeforeAll
  static void start() throws Exception {
    StringBuilder yaml = new StringBuilder("""
        apiVersion: v1
        kind: Secret
        metadata: {name: keys}
        stringData: {key: "${SB_SENTINEL}"}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: mock}
        spec: {provider: mock, models: [{name: echo}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: canary}
        spec: {model: canary, targets: [{backendRef: {name: mock}, model: echo}]}
        """);
    for (var e : hostileUpstreams().entrySet()) {
      RawUpstream upstream = RawUpstream.start(e.getValue());
      upstreams.put(e.getKey(), upstream);
      yaml.append("""
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: %1$s}
          spec:
            provider: openai-compatible
            url: %2$s/v1
            credentials: {secretRef: {name: keys, key: key}}
            models: [{name: m}]
            timeouts: {request: 5s, streamIdle: 20s}
            healthCheck: {interval: 1s, timeout: 2s}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: %1$s}
          spec:
            model: %1$s
            retry: {attempts: 1}
            targets: [{backendRef: {name: %1$s}, model: m}]
          """.formatted(e.getKey(), upstream.url()));
    }
    Files.writeString(manifests.resolve("hostile.yaml"), yaml);
    proxy = ChildProxy.start(List.of("--manifests", manifests.toString(), "--api-key", SENTINEL,
            "--max-answer-bytes", Long.toString(4L * 1024 * 1024), "--max-stream-duration", "3s",
            "--max-connections", Integer.toString(MAX_CONNECTIONS), "--body-timeout", "8s"),
        Map.of("SB_SENTINEL", SENTINEL, "SWITCHBOARD_ADMIN_TOKEN", SENTINEL));
    // Warm up: every route once, so the heap baseline includes loaded classes and JIT.
    for (int i = 0; i < 20; i++) {
      assertThat(chat("canary", false).statusCode()).isEqualTo(200);
    }
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    upstreams.values().forEach(RawUpstream::close);
  }

  @BeforeEach
  void startCanary() {
    canaryRunning.set(true);
    canary = Thread.ofVirtual().start(() -> {
      while (canaryRunning.get()) {
        try {
          HttpResponse<String> r = chat("canary", false);
          if (r.statusCode() == 200 && r.body().contains("\"content\":\"Hello canary\"")) {
            canaryOk.incrementAndGet();
          } else {
            canaryFailures.add(r.statusCode() + " " + r.body());
          }
          Thread.sleep(100);
        } catch (Exception e) {
          canaryFailures.add(e.toString());
        }
      }
    });
  }

  @AfterEach
  void checkCanary() throws InterruptedException {
    // At least two more canaries after the attack, so a proxy that died at the end is caught.
    int before = canaryOk.get();
    Awaitility.await().atMost(WAIT).until(() -> canaryOk.get() >= before + 2 || !canaryFailures.isEmpty());
    canaryRunning.set(false);
    canary.join(WAIT.toMillis());
    assertThat(proxy.alive()).as(proxy.output()).isTrue();
    assertThat(canaryFailures).as("the canary kept succeeding").isEmpty();
  }

  // ---- helpers ----

  private static String chatBody(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello canary\"}]}";
  }

  private static HttpResponse<String> chat(String model, boolean stream) throws IOException, InterruptedException {
    return post(chatBody(model, stream));
  }

  private static HttpResponse<String> post(String body) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(20)).header("content-type", "application/json").header("authorization", "Bearer " + SENTINEL)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    seen.add(r.headers().map().toString());
    seen.add(r.body());
    return r;
  }

  private static JsonNode errorOf(String body) throws IOException {
    return JSON.readTree(body).path("error");
  }

  /** The data of the last event of a streamed answer. */
  private static String lastEvent(String body) {
    List<String> data = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("data: ")) {
        data.add(line.substring(6));
      }
    }
    return data.isEmpty() ? "" : data.get(data.size() - 1);
  }

  private static String raw(String head, String body) {
    return head + "Host: x\r\nAuthorization: Bearer " + SENTINEL + "\r\nContent-Type: application/json\r\n" + body;
  }

  private static final String CHAT = "{\"model\":\"canary\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String SMUGGLED = "GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + SENTINEL + "\r\n\r\n";

  // ---- hostile clients ----

  @Test
  @Order(1)
  void ambiguousFramingIsRefusedAndItsBodyNeverReadAsASecondRequest() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("chunked and a length", raw("POST /v1/chat/completions HTTP/1.1\r\n",
        "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" + SMUGGLED));
    cases.put("two lengths", raw("POST /v1/chat/completions HTTP/1.1\r\n",
        "Content-Length: " + CHAT.length() + "\r\nContent-Length: 0\r\n\r\n" + CHAT));
    cases.put("a signed length", raw("POST /v1/chat/completions HTTP/1.1\r\n",
        "Content-Length: +" + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED));
    cases.put("gzip, chunked", raw("POST /v1/chat/completions HTTP/1.1\r\n",
        "Transfer-Encoding: gzip, chunked\r\n\r\n" + Integer.toHexString(SMUGGLED.length()) + "\r\n" + SMUGGLED + "\r\n0\r\n\r\n"));
    cases.put("a negative length", raw("POST /v1/chat/completions HTTP/1.1\r\n", "Content-Length: -1\r\n\r\n" + SMUGGLED));
    cases.put("framing on the admin port", "POST /admin/probe HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}");
    for (var c : cases.entrySet()) {
      int port = c.getKey().contains("admin") ? proxy.adminPort() : proxy.port();
      RawHttp.Exchange answer = RawHttp.send(port, c.getValue(), WAIT);
      seen.add(answer.text());
      assertThat(answer.statuses()).as(c.getKey() + ": " + answer.text()).singleElement().isIn(400, 501);
      assertThat(answer.closedByServer()).as(c.getKey() + ": connection closed").isTrue();
      assertThat(answer.text()).as(c.getKey()).contains("\"error\"").doesNotContain("\"object\":\"list\"");
    }
  }

  @Test
  @Order(2)
  void aMalformedChunkIsABadRequestNotAServerError() {
    RawHttp.Exchange answer = RawHttp.send(proxy.port(), raw("POST /v1/chat/completions HTTP/1.1\r\n",
        "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"), WAIT);
    seen.add(answer.text());
    assertThat(answer.statuses()).singleElement().isEqualTo(400);
    assertThat(answer.closedByServer()).isTrue();
  }

  @Test
  @Order(3)
  void oneNumberOrOneLongNameYieldsAShortError() throws Exception {
    for (String number : List.of("1e999999999", "1e5000000", "-1e999999999", "0e6999999999", "1" + "0".repeat(900))) {
      HttpResponse<String> r = post("{\"model\":\"canary\",\"temperature\":" + number + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body().length()).as(number.substring(0, 8)).isLessThan(1000);
      assertThat(errorOf(r.body()).path("param").asText()).isEqualTo("temperature");
    }
    HttpResponse<String> r = post("{\"model\":\"" + "m".repeat(1024 * 1024) + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body().length()).isLessThan(3000);
    assertThat(errorOf(r.body()).path("message").asText()).contains("(1048576 characters)");
  }

  @Test
  @Order(4)
  void announcedBodiesReserveNothingAndHonestLargeOnesAreRefusedPolitelyWhenMemoryIsFull() throws Exception {
    // 40 connections that announce 10 MiB and send one byte: far more than the heap if reserved.
    List<Socket> liars = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      liars.add(RawHttp.open(proxy.port(), raw("POST /v1/chat/completions HTTP/1.1\r\n", "Content-Length: 10485760\r\n\r\n{")
          .getBytes(StandardCharsets.ISO_8859_1)));
    }
    assertThat(chat("canary", false).statusCode()).isEqualTo(200);
    assertThat(proxy.metric("switchboard_memory_budget_bytes", "state=\"used\"")).isLessThan(4 * 1024 * 1024);
    // Honest 9 MiB bodies from 16 clients at once: each is served or refused with 503 and Retry-After.
    String big = "{\"model\":\"good\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "b".repeat(9 * 1024 * 1024) + "\"}]}";
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      answers.add(pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/v1/chat/completions"))
          .timeout(Duration.ofSeconds(60)).header("authorization", "Bearer " + SENTINEL).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(big)).build(), HttpResponse.BodyHandlers.ofString())));
    }
    int served = 0;
    int refused = 0;
    for (Future<HttpResponse<String>> f : answers) {
      HttpResponse<String> r = f.get();
      seen.add(r.body());
      if (r.statusCode() == 200) {
        served++;
      } else {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(errorOf(r.body()).path("code").asText()).isEqualTo("overloaded");
        assertThat(r.headers().firstValue("retry-after")).isPresent();
        refused++;
      }
    }
    pool.close();
    liars.forEach(RawHttp::closeQuietly);
    assertThat(served).isPositive();
    assertThat(served + refused).isEqualTo(16);
    Awaitility.await().atMost(WAIT).until(() -> proxy.metric("switchboard_memory_budget_bytes", "state=\"used\"") == 0);
  }

  @Test
  @Order(5)
  void abandonedConnectionsDoNotFloodTheLogs() throws Exception {
    int stderrBefore = proxy.stderr().size();
    for (int i = 0; i < 2000; i++) {
      byte[] prefix = (i % 2 == 0
          ? raw("POST /v1/chat/completions HTTP/1.1\r\n", "Content-Length: 100\r\n\r\n{\"mo")
          : "POST /v1/chat/compl").getBytes(StandardCharsets.ISO_8859_1);
      RawHttp.closeQuietly(RawHttp.open(proxy.port(), prefix));
    }
    assertThat(chat("canary", false).statusCode()).isEqualTo(200);
    List<String> added = proxy.stderr().subList(stderrBefore, proxy.stderr().size());
    assertThat(added.size()).as(String.join("\n", added)).isLessThan(20);
    assertThat(proxy.stdout()).noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception"));
  }

  @Test
  @Order(5)
  void aBodySentByteByByteIsCutOffAtTheBodyTimeout() throws Exception {
    long start = System.nanoTime();
    Socket slow = RawHttp.open(proxy.port(), raw("POST /v1/chat/completions HTTP/1.1\r\n", "Content-Length: 1000\r\n\r\n{")
        .getBytes(StandardCharsets.ISO_8859_1));
    slow.setSoTimeout(1000);
    boolean closed = false;
    // A byte a second keeps any per-read timeout happy; only the whole body's deadline (8s) ends it.
    for (int i = 0; i < 30 && !closed; i++) {
      try {
        slow.getOutputStream().write(' ');
        slow.getOutputStream().flush();
        closed = slow.getInputStream().read() < 0;
      } catch (java.net.SocketTimeoutException e) {
        // not yet
      } catch (IOException e) {
        closed = true;
      }
    }
    RawHttp.closeQuietly(slow);
    assertThat(closed).as("closed by the proxy").isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(7));
  }

  @Test
  @Order(6)
  void aConnectionFloodIsBoundedAndTheProxyRecovers() throws Exception {
    long heapBefore = proxy.heapAfterGc();
    List<Socket> flood = new ArrayList<>();
    for (int i = 0; i < 2 * MAX_CONNECTIONS; i++) {
      flood.add(RawHttp.open(proxy.port(), "POST /v1/chat/compl".getBytes(StandardCharsets.ISO_8859_1)));
    }
    // Past the limit new connections wait in the kernel's backlog; the admin port keeps answering,
    // and what the open ones cost stays within the share of the heap the limit allows.
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(proxy.adminUrl() + "/readyz")).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    long heapDuring = proxy.heapAfterGc();
    assertThat(heapDuring - heapBefore).as("heap held by %d open connections", MAX_CONNECTIONS)
        .isLessThan(MAX_CONNECTIONS * 32L * 1024 + 8L * 1024 * 1024);
    flood.forEach(RawHttp::closeQuietly);
    Awaitility.await().atMost(WAIT).ignoreExceptions().until(() -> chat("canary", false).statusCode() == 200);
  }

  @Test
  @Order(7)
  void wrongMethodsOnAdminPathsAre405() throws Exception {
    for (String path : List.of("/healthz", "/readyz", "/metrics", "/admin/status", "/admin/config", "/admin/probe")) {
      String method = path.equals("/admin/config") ? "POST" : path.equals("/admin/probe") ? "GET" : "DELETE";
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(proxy.adminUrl() + path)).timeout(WAIT)
          .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(method + " " + path).isEqualTo(405);
      assertThat(r.headers().firstValue("allow")).isPresent();
    }
  }

  // ---- hostile upstreams ----

  @Test
  @Order(10)
  void anUpstreamsAnnouncedOrEndlessBodyEndsAtTheAnswerLimit() throws Exception {
    HttpResponse<String> lies = chat("lies-about-length", false);
    assertThat(lies.statusCode()).as(lies.body()).isEqualTo(502);
    HttpResponse<String> endless = chat("endless-body", false);
    assertThat(endless.statusCode()).isEqualTo(502);
    assertThat(errorOf(endless.body()).path("message").asText()).contains("more than the limit of 4194304 bytes");
  }

  @Test
  @Order(11)
  void aStreamEndsForTheClientAtDoneWhileTheUpstreamHoldsTheConnection() throws Exception {
    // The upstream holds on for 30 s after [DONE]; the client gives up after 10 s.
    HttpResponse<String> r = chat("holds-after-done", true);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(lastEvent(r.body())).isEqualTo("[DONE]");
  }

  @Test
  @Order(12)
  void brokenStreamsEndWithAnErrorEventAndNeverADone() throws Exception {
    Map<String, String> expected = Map.of(
        "not-json-chunk", "not a JSON object",
        "key-in-malformed-line", "not a JSON object",
        "key-in-stream-error", "bad key ****",
        "killed-mid-stream", "broke off the stream",
        "huge-event", "larger than the gateway's limit of 4194304 bytes",
        "endless-pings", "ran longer than the gateway's limit of 3s");
    for (var e : expected.entrySet()) {
      HttpResponse<String> r = chat(e.getKey(), true);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).as(e.getKey()).doesNotContain("[DONE]");
      String message = errorOf(lastEvent(r.body())).path("message").asText();
      assertThat(message).as(e.getKey()).contains(e.getValue()).doesNotContain("(null)");
    }
  }

  @Test
  @Order(13)
  void aHeaderFloodIsAMalformedAnswerNotAnUnreachableBackend() throws Exception {
    HttpResponse<String> r = chat("too-many-headers", false);
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(errorOf(r.body()).path("message").asText()).contains("response head");
    assertThat(errorOf(r.body()).path("code").asText()).isNotEqualTo("upstream_unreachable");
  }

  @Test
  @Order(14)
  void theKeyInAnErrorsFieldsIsMaskedInEachOfThem() throws Exception {
    HttpResponse<String> r = chat("key-in-error-fields", false);
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = errorOf(r.body());
    for (String field : List.of("message", "type", "param", "code")) {
      assertThat(error.path(field).asText()).as(field).doesNotContain(PREFIX).contains("****");
    }
  }

  // ---- everything at once ----

  @Test
  @Order(20)
  void thirtySecondsOfEveryAttackLeaveTheProxyAnsweringWithItsHeapWhereItStarted() throws Exception {
    long heapBefore = proxy.heapAfterGc();
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<String> violations = new CopyOnWriteArrayList<>();
    // Under load, breakers eject the failing backends and timeouts fire: the exact answers of the
    // one-by-one tests above may change to other documented ones, but never to a 500, a hang, a
    // leak, or a dead process.
    List<Runnable> attacks = List.of(
        () -> check(violations, () -> ambiguousFramingIsRefusedAndItsBodyNeverReadAsASecondRequest()),
        () -> check(violations, () -> aMalformedChunkIsABadRequestNotAServerError()),
        () -> check(violations, () -> oneNumberOrOneLongNameYieldsAShortError()),
        () -> check(violations, () -> hostileUpstreamsGetDocumentedAnswers(false)),
        () -> check(violations, () -> hostileUpstreamsGetDocumentedAnswers(true)),
        () -> check(violations, () -> {
          for (int i = 0; i < 20; i++) {
            RawHttp.closeQuietly(RawHttp.open(proxy.port(), raw("POST /v1/chat/completions HTTP/1.1\r\n",
                "Content-Length: 10485760\r\n\r\n{").getBytes(StandardCharsets.ISO_8859_1)));
          }
        }));
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    AtomicInteger rounds = new AtomicInteger();
    for (Runnable attack : attacks) {
      pool.submit(() -> {
        while (System.nanoTime() < end && violations.size() < 10) {
          attack.run();
          rounds.incrementAndGet();
          pause(); // a steady attack, not a CPU race between the test and the proxy on two cores
        }
      });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(90, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(violations).isEmpty();
    assertThat(rounds.get()).isGreaterThan(attacks.size());
    assertThat(proxy.alive()).as(proxy.output()).isTrue();
    Awaitility.await().atMost(WAIT).until(() -> proxy.metric("switchboard_memory_budget_bytes", "state=\"used\"") == 0);
    long heapAfter = proxy.heapAfterGc();
    Files.writeString(Path.of("target/hostile-soak.txt"), "rounds=" + rounds.get() + " heapBefore=" + heapBefore
        + " heapAfter=" + heapAfter + " canaryOk=" + canaryOk.get() + "\n");
    assertThat(heapAfter).as("heap after a full GC, before %d and after %d bytes", heapBefore, heapAfter)
        .isLessThan(heapBefore + 16L * 1024 * 1024);
  }

  /** Every hostile upstream, once: a documented status, a bounded body, and a stream that ends properly. */
  private static void hostileUpstreamsGetDocumentedAnswers(boolean stream) throws Exception {
    for (String route : upstreams.keySet()) {
      if (route.equals("good") || route.equals("probe-leaks")) {
        continue;
      }
      HttpResponse<String> r = chat(route, stream);
      assertThat(r.statusCode()).as(route + ": " + r.body()).isIn(200, 400, 502, 503, 504);
      assertThat(r.body().length()).as(route).isLessThan(64 * 1024);
      if (r.statusCode() == 200) {
        assertThat(stream).as(route + " answered a whole 200").isTrue();
        String last = lastEvent(r.body());
        assertThat(last.equals("[DONE]") || errorOf(last).has("message")).as(route + " ends with [DONE] or an error: " + last).isTrue();
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private interface Check {
    void run() throws Exception;
  }

  private static void check(List<String> violations, Check check) {
    try {
      check.run();
    } catch (Throwable t) {
      violations.add(t.toString());
    }
  }

  // ---- the secret, last: after every error path, stream failure and probe above ----

  @Test
  @Order(30)
  void theSecretAppearsNowhereTheProxyWrote() throws Exception {
    // The probes of probe-leaks failed with the key in their answer; status and metrics hold the result.
    Awaitility.await().atMost(WAIT).until(() -> admin("/admin/status").contains("probe-leaks"));
    String status = admin("/admin/status");
    assertThat(status).contains("Unauthorized");
    seen.add(status);
    seen.add(proxy.metrics());
    seen.addAll(proxy.stdout());
    seen.addAll(proxy.stderr());
    assertThat(proxy.stdout()).anyMatch(l -> l.startsWith("{\"ts\":") && l.contains("\"error\":"));
    for (String text : seen) {
      assertThat(text).doesNotContain(PREFIX);
    }
  }

  private static String admin(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(proxy.adminUrl() + path)).timeout(WAIT)
        .header("authorization", "Bearer " + SENTINEL).build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
