package dev.switchboard.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.compiler.Compilation;
import dev.switchboard.compiler.ConfigCompiler;
import dev.switchboard.config.RoutingConfig;
import dev.switchboard.manifest.ManifestReader;
import dev.switchboard.manifest.ManifestSet;
import dev.switchboard.proxy.observe.AccessLog;
import dev.switchboard.proxy.server.ConfigHolder;
import dev.switchboard.proxy.server.ProxyContext;
import dev.switchboard.proxy.server.ProxyServer;
import dev.switchboard.proxy.server.Settings;
import dev.switchboard.validation.ResourceValidator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real proxy on loopback, fed configs compiled from YAML by the real compiler. */
public final class TestProxy implements AutoCloseable {
  public static final ResourceValidator VALIDATOR = ResourceValidator.fromClasspath();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProxyServer server;
  private final List<String> accessLog = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private TestProxy(Settings settings) {
    this(settings, false);
  }

  private TestProxy(Settings settings, boolean probing) {
    ProxyContext context = ProxyServer.context(settings, AccessLog.to(accessLog::add), probing);
    this.server = ProxyServer.start("127.0.0.1", 0, 0, context);
  }

  /** A proxy that runs its own background probes (and, in local mode, capability checks), as Main starts it. */
  public static TestProxy startProbing(Settings settings) {
    return new TestProxy(settings, true);
  }

  public static TestProxy start() {
    return new TestProxy(Settings.defaults());
  }

  public static TestProxy start(Settings settings) {
    return new TestProxy(settings);
  }

  /** Compiles manifests (which must have no problem) and serves them. */
  public RoutingConfig serve(String yaml) {
    RoutingConfig config = compile(yaml);
    ConfigHolder.Applied applied = server.context().holder().apply(config);
    assertThat(applied.problems()).isEmpty();
    return config;
  }

  public static RoutingConfig compile(String yaml) {
    ManifestSet set = new ManifestReader(VALIDATOR, name -> Optional.empty()).read("test.yaml", yaml);
    assertThat(set.problems()).isEmpty();
    Compilation c = new ConfigCompiler(VALIDATOR).compile(set.backends(), set.routes(), set.clientKeys(), set.secretLookup());
    assertThat(c.problems()).isEmpty();
    return c.config();
  }

  public ProxyContext context() {
    return server.context();
  }

  public String url() {
    return "http://127.0.0.1:" + server.port();
  }

  public String adminUrl() {
    return "http://127.0.0.1:" + server.adminPort();
  }

  public List<String> accessLog() {
    return List.copyOf(accessLog);
  }

  /** A response with its body read. */
  public record Reply(int status, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      return headers.getOrDefault(name.toLowerCase(), List.of("")).get(0);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  public Reply chat(String body, String... headers) {
    return send("POST", url() + "/v1/chat/completions", body, headers);
  }

  public Reply get(String path, String... headers) {
    return send("GET", url() + path, null, headers);
  }

  public Reply admin(String method, String path, String body, String... headers) {
    return send(method, adminUrl() + path, body, headers);
  }

  public Reply send(String method, String url, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("content-type", "application/json");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), lower(r.headers().map()), r.body());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** One server-sent event as the client received it, and when. */
  public record Event(String data, long atNanos) {}

  /** A streamed response read to its end. */
  public record Streamed(int status, Map<String, List<String>> headers, List<Event> events, long startNanos) {
    public List<String> data() {
      return events.stream().map(Event::data).toList();
    }

    public String header(String name) {
      return headers.getOrDefault(name.toLowerCase(), List.of("")).get(0);
    }

    /** The text of every content delta, joined. */
    public String content() {
      StringBuilder out = new StringBuilder();
      for (String d : data()) {
        if (d.startsWith("{")) {
          try {
            JsonNode n = JSON.readTree(d);
            for (JsonNode c : n.path("choices")) {
              out.append(c.path("delta").path("content").asText(""));
            }
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        }
      }
      return out.toString();
    }
  }

  public Streamed stream(String body, String... headers) {
    return stream(body, Integer.MAX_VALUE, headers);
  }

  /** Streams a chat request, reading at most {@code maxEvents} events before hanging up. */
  public Streamed stream(String body, int maxEvents, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    long start = System.nanoTime();
    try {
      HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      List<Event> events = new ArrayList<>();
      try (InputStream in = r.body();
           BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        StringBuilder data = null;
        while (events.size() < maxEvents && (line = reader.readLine()) != null) {
          if (line.startsWith("data:")) {
            data = new StringBuilder(line.substring(5).trim());
          } else if (line.isEmpty() && data != null) {
            events.add(new Event(data.toString(), System.nanoTime()));
            data = null;
          } else if (line.startsWith("{")) {
            events.add(new Event(line, System.nanoTime())); // a JSON error instead of a stream
          }
        }
      }
      return new Streamed(r.statusCode(), lower(r.headers().map()), events, start);
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static Map<String, List<String>> lower(Map<String, List<String>> headers) {
    Map<String, List<String>> out = new java.util.HashMap<>();
    headers.forEach((k, v) -> out.put(k.toLowerCase(), v));
    return out;
  }

  @Override
  public void close() {
    server.close();
  }

  /** A loopback port nothing listens on. */
  public static int closedPort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
