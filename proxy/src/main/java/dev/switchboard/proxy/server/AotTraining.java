package dev.switchboard.proxy.server;

import dev.switchboard.compiler.Compilation;
import dev.switchboard.compiler.ConfigCompiler;
import dev.switchboard.config.RoutingConfigJson;
import dev.switchboard.manifest.ManifestReader;
import dev.switchboard.manifest.ManifestSet;
import dev.switchboard.proxy.observe.AccessLog;
import dev.switchboard.validation.ResourceValidator;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServer;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The training run for Java's ahead-of-time cache, made when the container image is built
 * ({@code java -XX:AOTCacheOutput=... -cp switchboard-proxy.jar dev.switchboard.proxy.server.AotTraining}).
 * It does what a proxy pod does in its first seconds, over real sockets: takes a pushed config,
 * serves chats streamed and not through an OpenAI-format upstream and the mock, lists models,
 * answers probes and metrics, and rejects bad requests, so the classes all of that loads and links
 * are in the cache and a pod serves its first request sooner.
 */
public final class AotTraining {
  private static final String TOKEN = "aot-training";
  private static final int ROUNDS = 100;

  private AotTraining() {}

  public static void main(String[] args) throws Exception {
    WebServer upstream = fakeUpstream();
    try {
      ProxyContext context = ProxyServer.context(Settings.defaults().withAdminToken(TOKEN), AccessLog.to(line -> { }), false);
      ProxyServer proxy = ProxyServer.start("127.0.0.1", 0, 0, context);
      try {
        WebClient api = WebClient.builder().baseUri("http://127.0.0.1:" + proxy.port()).build();
        WebClient admin = WebClient.builder().baseUri("http://127.0.0.1:" + proxy.adminPort()).build();
        byte[] config = RoutingConfigJson.write(compile(upstream.port()));
        check(admin.put("/admin/config").header(HeaderNames.AUTHORIZATION, "Bearer " + TOKEN)
            .header(HeaderNames.CONTENT_TYPE, "application/json").submit(config), 200);
        for (int i = 0; i < ROUNDS; i++) {
          for (String model : new String[] {"chat", "echo"}) {
            check(chat(api, "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}"), 200);
            check(chat(api, "{\"model\":\"" + model + "\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"hello there\"}]}"), 200);
          }
          check(api.get("/v1/models").request(), 200);
          check(chat(api, "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 404);
          check(chat(api, "{\"model\":"), 400);
          check(admin.get("/readyz").request(), 200);
          if (i % 50 == 0) {
            check(admin.get("/metrics").request(), 200);
            check(admin.get("/admin/status").header(HeaderNames.AUTHORIZATION, "Bearer " + TOKEN).request(), 200);
          }
        }
      } finally {
        proxy.close();
      }
    } finally {
      upstream.stop();
    }
    System.out.println("AOT training run finished");
  }

  private static HttpClientResponse chat(WebClient api, String body) {
    return api.post("/v1/chat/completions").header(HeaderNames.CONTENT_TYPE, "application/json").submit(body);
  }

  private static void check(HttpClientResponse response, int status) {
    try (response) {
      String body = response.as(String.class);
      if (response.status().code() != status) {
        throw new IllegalStateException("training request got " + response.status() + " instead of " + status + ": " + body);
      }
    }
  }

  private static dev.switchboard.config.RoutingConfig compile(int upstreamPort) {
    String yaml = """
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: upstream, namespace: training}
        spec: {provider: openai-compatible, url: "http://127.0.0.1:%d/v1", models: [{name: m}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: mock, namespace: training}
        spec: {provider: mock, models: [{name: echo}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: chat, namespace: training}
        spec: {model: chat, targets: [{backendRef: {name: upstream}, model: m}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: echo, namespace: training}
        spec: {model: echo, targets: [{backendRef: {name: mock}, model: echo}]}
        """.formatted(upstreamPort);
    ResourceValidator validator = ResourceValidator.fromClasspath();
    ManifestSet set = new ManifestReader(validator, name -> Optional.empty()).read("training.yaml", yaml);
    Compilation compilation = new ConfigCompiler(validator).compile(set.backends(), set.routes(), set.clientKeys(), set.secretLookup());
    if (!compilation.problems().isEmpty()) {
      throw new IllegalStateException("the training config does not compile: " + compilation.problems());
    }
    return compilation.config();
  }

  /** An OpenAI-format upstream answering every chat, streamed or not. */
  private static WebServer fakeUpstream() {
    String completion = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\"Hi! How can I help?\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":6,\"total_tokens\":11}}";
    return WebServer.builder().host("127.0.0.1").port(0).routing(r -> r
        .post("/v1/chat/completions", (req, res) -> {
          String body = req.content().as(String.class);
          if (!body.contains("\"stream\":true")) {
            res.header(HeaderNames.CONTENT_TYPE, "application/json").send(completion);
            return;
          }
          res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
          try (OutputStream out = res.outputStream()) {
            String prefix = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[";
            out.write((prefix + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n").getBytes(StandardCharsets.UTF_8));
            for (String word : new String[] {"Hi", "!", " How", " can", " I", " help", "?"}) {
              out.write((prefix + "{\"index\":0,\"delta\":{\"content\":\"" + word + "\"}}]}\n\n").getBytes(StandardCharsets.UTF_8));
              out.flush();
            }
            out.write((prefix + "{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n").getBytes(StandardCharsets.UTF_8));
            out.write((prefix + "],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}\n\n")
                .getBytes(StandardCharsets.UTF_8));
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
          }
        })).build().start();
  }
}
