package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.testing.CapabilityFakes;
import dev.switchboard.proxy.testing.CapabilityFakes.Flaw;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.TestProxy;
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
  private static final String ADMIN = "Bearer admin";
  private final List<FakeUpstream> upstreams = new ArrayList<>();
  private TestProxy proxy;

  private FakeUpstream upstream(String name, Flaw flaw) {
    FakeUpstream u = FakeUpstream.start().then(CapabilityFakes.server(name, flaw));
    upstreams.add(u);
    return u;
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
