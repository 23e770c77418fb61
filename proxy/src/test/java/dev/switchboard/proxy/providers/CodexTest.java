package dev.switchboard.proxy.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.testing.CodingAgentFakes;
import dev.switchboard.proxy.testing.CodingAgents;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.TestProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Codex, unmodified ({@code codex exec}), through the Responses surface: it runs a shell command
 * that writes a file and reports, through a route backed by Anthropic, one backed by an
 * OpenAI-format upstream, and one passed through to an Azure Responses backend. Each fake scripts
 * the {@code exec_command} call and the answer, and keeps the command's output Codex sent back.
 * Once per scenario: each run is a real agent process.
 */
class CodexTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static Path work;
  static final CodingAgentFakes.Seen ANTHROPIC = new CodingAgentFakes.Seen();
  static final CodingAgentFakes.Seen OPENAI = new CodingAgentFakes.Seen();
  static final CodingAgentFakes.Seen RESPONSES = new CodingAgentFakes.Seen();
  static FakeUpstream anthropic;
  static FakeUpstream openAi;
  static FakeUpstream responses;
  static TestProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    work = Files.createTempDirectory("codex-work");
    anthropic = FakeUpstream.start().then(CodingAgentFakes.anthropic(CodingAgentFakes.Task.shell(work.resolve("anthropic.txt").toString()),
        ANTHROPIC));
    openAi = FakeUpstream.start().then(CodingAgentFakes.openAi(CodingAgentFakes.Task.shell(work.resolve("openai.txt").toString()), OPENAI));
    responses = FakeUpstream.start().then(CodingAgentFakes.responses(CodingAgentFakes.Task.shell(work.resolve("responses.txt").toString()),
        RESPONSES));
    proxy = TestProxy.start(Settings.defaults().withClientKeys(List.of("sk-team-key")));
    proxy.serve("""
        apiVersion: v1
        kind: Secret
        metadata: {name: keys}
        stringData: {key: sk-fake-provider-key}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: claude}
        spec: {provider: anthropic, url: %s, credentials: {secretRef: {name: keys, key: key}}, models: [{name: claude-fake}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: openai}
        spec: {provider: openai, url: %s, credentials: {secretRef: {name: keys, key: key}}, models: [{name: gpt-coder}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: azure}
        spec:
          provider: azure-openai
          url: %s
          credentials: {secretRef: {name: keys, key: key}}
          azure: {apiVersion: v1, api: responses, deployments: {gpt-coder: coder-deployment}}
          models: [{name: gpt-coder}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: anthropic}
        spec: {model: anthropic, targets: [{backendRef: {name: claude}, model: claude-fake}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: openai}
        spec: {model: openai, targets: [{backendRef: {name: openai}, model: gpt-coder}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: responses}
        spec: {model: responses, targets: [{backendRef: {name: azure}, model: gpt-coder}]}
        """.formatted(anthropic.url(), openAi.url(), responses.url()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    anthropic.close();
    openAi.close();
    responses.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"anthropic, anthropic.txt", "openai, openai.txt", "responses, responses.txt"})
  void codexRunsTheCommandAndReports(String route, String file) throws Exception {
    CodingAgentFakes.Seen seen = switch (route) {
      case "anthropic" -> ANTHROPIC;
      case "openai" -> OPENAI;
      default -> RESPONSES;
    };
    CodingAgents.Run run = CodingAgents.codex(proxy.url() + "/v1", "sk-team-key", route, "Create the file " + file + " with a greeting.",
        work);

    assertThat(run.exitCode()).as(run.stdout() + run.stderr() + proxy.accessLog()).isZero();
    assertThat(run.stdout()).contains(CodingAgentFakes.DONE);
    assertThat(Files.readString(work.resolve(file))).isEqualTo(CodingAgentFakes.CONTENT);
    assertThat(seen.toolNames.get(0)).contains("exec_command");
    assertThat(seen.toolResults).as("the fake got the command's result back").hasSize(1);
    assertThat(seen.toolResults.get(0)).contains("exited with code 0");
    assertThat(proxy.accessLog()).anySatisfy(line -> assertThat(line).contains("\"path\":\"/v1/responses\"")
        .contains("\"status\":200"));
    if (route.equals("responses")) {
      JsonNode sent = JSON.readTree(responses.last().body());
      assertThat(sent.path("model").asText()).isEqualTo("coder-deployment");
      assertThat(sent.has("prompt_cache_key")).as("passed through as Codex wrote it").isTrue();
      assertThat(sent.path("tools").toString()).contains("web_search", "namespace");
    } else {
      assertThat(proxy.accessLog().toString()).doesNotContain("\"status\":4");
    }
  }
}
