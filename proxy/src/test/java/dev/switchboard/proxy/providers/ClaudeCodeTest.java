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
 * Claude Code, unmodified ({@code claude -p}), through the Messages surface: it writes a file with
 * its Write tool and reports, through a route backed by an OpenAI-format upstream, one backed by
 * Gemini (thought signatures and all), and one passed through to Anthropic. Each fake scripts the
 * tool call and the answer, and keeps the tool result Claude Code sent back. Once per scenario:
 * each run is a real agent process.
 */
class ClaudeCodeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static Path work;
  static final CodingAgentFakes.Seen OPENAI = new CodingAgentFakes.Seen();
  static final CodingAgentFakes.Seen GEMINI = new CodingAgentFakes.Seen();
  static final CodingAgentFakes.Seen ANTHROPIC = new CodingAgentFakes.Seen();
  static FakeUpstream openAi;
  static FakeUpstream gemini;
  static FakeUpstream anthropic;
  static TestProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    work = Files.createTempDirectory("claude-work");
    openAi = FakeUpstream.start().then(CodingAgentFakes.openAi(CodingAgentFakes.Task.write(work.resolve("openai.txt").toString()), OPENAI));
    gemini = FakeUpstream.start().then(CodingAgentFakes.gemini(CodingAgentFakes.Task.write(work.resolve("gemini.txt").toString()), GEMINI));
    anthropic = FakeUpstream.start().then(CodingAgentFakes.anthropic(CodingAgentFakes.Task.write(work.resolve("anthropic.txt").toString()), ANTHROPIC));
    proxy = TestProxy.start(Settings.defaults().withClientKeys(List.of("sk-team-key")));
    proxy.serve("""
        apiVersion: v1
        kind: Secret
        metadata: {name: keys}
        stringData: {key: sk-fake-provider-key}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: openai}
        spec: {provider: openai, url: %s, credentials: {secretRef: {name: keys, key: key}}, models: [{name: gpt-coder}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: gemini}
        spec: {provider: gemini, url: %s, credentials: {secretRef: {name: keys, key: key}}, models: [{name: gemini-3-coder}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: claude}
        spec: {provider: anthropic, url: %s, credentials: {secretRef: {name: keys, key: key}}, models: [{name: claude-fake}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: openai}
        spec: {model: openai, targets: [{backendRef: {name: openai}, model: gpt-coder}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: gemini}
        spec: {model: gemini, targets: [{backendRef: {name: gemini}, model: gemini-3-coder}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: claude-sonnet-4-5}
        spec: {model: claude-sonnet-4-5, targets: [{backendRef: {name: claude}, model: claude-fake}]}
        """.formatted(openAi.url(), gemini.url(), anthropic.url()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    openAi.close();
    gemini.close();
    anthropic.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"openai, openai.txt", "gemini, gemini.txt", "claude-sonnet-4-5, anthropic.txt"})
  void claudeCodeWritesTheFileAndReports(String route, String file) throws Exception {
    CodingAgentFakes.Seen seen = switch (route) {
      case "openai" -> OPENAI;
      case "gemini" -> GEMINI;
      default -> ANTHROPIC;
    };
    CodingAgents.Run run = CodingAgents.claude(proxy.url(), "sk-team-key", route, "Create the file " + file + " with a greeting.",
        work, "Write");

    assertThat(run.exitCode()).as(run.stdout() + run.stderr() + proxy.accessLog()).isZero();
    JsonNode result = JSON.readTree(run.stdout());
    assertThat(result.path("is_error").asBoolean()).as(run.stdout()).isFalse();
    assertThat(result.path("result").asText()).isEqualTo(CodingAgentFakes.DONE);
    assertThat(Files.readString(work.resolve(file))).isEqualTo(CodingAgentFakes.CONTENT);
    assertThat(seen.toolNames.get(0)).contains("Write", "Bash", "Read");
    assertThat(seen.toolResults).as("the fake got Write's result back").hasSize(1);
    assertThat(seen.toolResults.get(0)).contains(file);
    List<String> log = proxy.accessLog();
    assertThat(log).anySatisfy(line -> assertThat(line).contains("\"path\":\"/v1/messages\"").contains("\"status\":200"));
    if (route.startsWith("claude")) {
      FakeUpstream.Received sent = anthropic.last();
      assertThat(sent.header("anthropic-beta")).contains("claude-code-20250219");
      assertThat(sent.query()).isEqualTo("beta=true");
      assertThat(sent.body()).contains("\"context_management\"", "\"cache_control\"");
    }
  }
}
