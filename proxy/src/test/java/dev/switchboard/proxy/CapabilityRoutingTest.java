package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.TestProxy;
import dev.switchboard.proxy.testing.Wire;
import io.helidon.http.HeaderNames;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Capabilities proven by probes: fake upstreams that answer a forced tool call with text, with
 * arguments that are not JSON, that never send usage in streams, and one that does everything
 * right. The checks' verdicts show on /admin/status; a request with tools prefers a target that
 * passed; with only failing targets it is served with the header, or refused when the route
 * requires capabilities.
 */
class CapabilityRoutingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN = "Bearer admin";
  private final List<FakeUpstream> upstreams = new ArrayList<>();
  private TestProxy proxy;

  private enum Flaw { NONE, TEXT_FOR_TOOLS, BAD_ARGUMENTS, NO_STREAM_USAGE }

  /** An OpenAI-compatible server with one flaw: streams answer the checks, whole answers name the server. */
  private FakeUpstream upstream(String name, Flaw flaw) {
    FakeUpstream u = FakeUpstream.start();
    upstreams.add(u);
    u.then((req, res, r) -> {
      JsonNode body = JSON.readTree(r.body());
      if (!body.path("stream").asBoolean()) {
        res.status(200).header(HeaderNames.CONTENT_TYPE, "application/json").send(Wire.completion("from " + name));
        return;
      }
      List<String> frames = new ArrayList<>();
      frames.add(Wire.roleChunk());
      if (body.has("tools")) {
        switch (flaw) {
          case TEXT_FOR_TOOLS -> frames.add(Wire.chunk("I would rather not call tools."));
          case BAD_ARGUMENTS -> frames.add(toolCall("{city: Paris"));
          default -> frames.add(toolCall("{\\\"city\\\":\\\"Paris\\\"}"));
        }
        frames.add(Wire.finishChunk(flaw == Flaw.TEXT_FOR_TOOLS ? "stop" : "tool_calls"));
      } else {
        frames.add(Wire.chunk("OK"));
        frames.add(Wire.finishChunk("stop"));
      }
      if (body.path("stream_options").path("include_usage").asBoolean() && flaw != Flaw.NO_STREAM_USAGE) {
        frames.add(Wire.usageChunk(9, 2));
      }
      frames.add(Wire.done());
      res.status(200);
      res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
      try (OutputStream out = res.outputStream()) {
        for (String f : frames) {
          out.write(f.getBytes(StandardCharsets.UTF_8));
        }
      }
    });
    return u;
  }

  private static String toolCall(String arguments) {
    return "data: {\"id\":\"chatcmpl-abc123\",\"object\":\"chat.completion.chunk\",\"created\":1731000000,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"" + arguments + "\"}}]},\"finish_reason\":null}]}\n\n";
  }

  @BeforeEach
  void start() {
    proxy = TestProxy.start(Settings.defaults().withAdminToken("admin"));
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstreams.forEach(FakeUpstream::close);
  }

  private static String backend(String name, FakeUpstream u) {
    return """
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: %s}
        spec:
          provider: openai-compatible
          url: %s/v1
          models: [{name: m}]
          healthCheck: {capabilities: [tools, stream-usage]}
        ---
        """.formatted(name, u.url());
  }

  @Test
  void inLocalModeTheProxyRunsTheChecksByItself() {
    try (TestProxy local = TestProxy.startProbing(Settings.defaults().withAdminToken("admin").inLocalMode())) {
      local.serve(backend("textual", upstream("textual", Flaw.TEXT_FOR_TOOLS)) + """
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: chat}
          spec: {model: chat, targets: [{backendRef: {name: textual}, model: m}]}
          """);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> local.admin("GET", "/admin/status", null,
          "authorization", ADMIN).json().at("/backends/0/capabilities").size() == 2);
      assertThat(local.admin("GET", "/admin/status", null, "authorization", ADMIN).json().at("/backends/0/capabilities/1/reason").asText())
          .isEqualTo("NoToolCall");
    }
  }

  private static final String TOOLS_REQUEST = """
      {"model":"chat","messages":[{"role":"user","content":"weather?"}],
       "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}""";

  @Test
  void checksShowTheirVerdictsAndRequestsWithToolsPreferTheTargetThatPassed() throws Exception {
    String manifests = backend("textual", upstream("textual", Flaw.TEXT_FOR_TOOLS))
        + backend("badargs", upstream("badargs", Flaw.BAD_ARGUMENTS))
        + backend("nousage", upstream("nousage", Flaw.NO_STREAM_USAGE))
        + backend("good", upstream("good", Flaw.NONE)) + """
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: chat}
        spec:
          model: chat
          targets:
            - {backendRef: {name: textual}, model: m, priority: 0}
            - {backendRef: {name: badargs}, model: m, priority: 1}
            - {backendRef: {name: good}, model: m, priority: 2}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: bad}
        spec:
          model: bad
          targets:
            - {backendRef: {name: textual}, model: m, priority: 0}
            - {backendRef: {name: badargs}, model: m, priority: 1}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: strict}
        spec:
          model: strict
          requireCapabilities: true
          targets:
            - {backendRef: {name: textual}, model: m, priority: 0}
            - {backendRef: {name: badargs}, model: m, priority: 1}
        """;
    proxy.serve(manifests);
    assertThat(proxy.chat(TOOLS_REQUEST).header("x-switchboard-backend")).as("nothing checked yet: able").isEqualTo("default/textual");

    TestProxy.Reply checked = proxy.admin("POST", "/admin/capabilities/check", "{}", "authorization", ADMIN);
    assertThat(checked.status()).as(checked.body()).isEqualTo(200);
    TestProxy.Reply status = proxy.admin("GET", "/admin/status", null, "authorization", ADMIN);
    List<String> verdicts = new ArrayList<>();
    for (JsonNode b : status.json().path("backends")) {
      for (JsonNode c : b.path("capabilities")) {
        verdicts.add(b.path("id").asText() + " " + c.path("capability").asText() + " " + c.path("verified").asBoolean() + " "
            + c.path("reason").asText());
        assertThat(c.path("lastChecked").asText()).isNotEmpty();
      }
    }
    assertThat(verdicts).containsExactlyInAnyOrder(
        "default/textual tools false NoToolCall", "default/textual stream-usage true Verified",
        "default/badargs tools false InvalidArguments", "default/badargs stream-usage true Verified",
        "default/nousage tools true Verified", "default/nousage stream-usage false NoUsage",
        "default/good tools true Verified", "default/good stream-usage true Verified");

    TestProxy.Reply tools = proxy.chat(TOOLS_REQUEST);
    assertThat(tools.header("x-switchboard-backend")).as("skips the targets that failed the tools check").isEqualTo("default/good");
    assertThat(tools.header("x-switchboard-unverified")).isEmpty();
    TestProxy.Reply plain = proxy.chat("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(plain.header("x-switchboard-backend")).as("a request without tools keeps the route's order").isEqualTo("default/textual");

    TestProxy.Reply served = proxy.chat(TOOLS_REQUEST.replace("\"chat\"", "\"bad\""));
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.header("x-switchboard-backend")).as("only failing targets: still served, in order").isEqualTo("default/textual");
    assertThat(served.header("x-switchboard-unverified")).isEqualTo("tools");

    TestProxy.Reply refused = proxy.chat(TOOLS_REQUEST.replace("\"chat\"", "\"strict\""));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().at("/error/code").asText()).isEqualTo("capability_not_verified");
    assertThat(refused.json().at("/error/message").asText())
        .contains("'tools'", "default/textual model m", "default/badargs model m", "spec.requireCapabilities");
    assertThat(upstreams.get(0).received().stream().filter(r -> r.body().contains("\"bad\"") || r.body().contains("strict")))
        .as("a refused request reaches no backend").isEmpty();
  }
}
