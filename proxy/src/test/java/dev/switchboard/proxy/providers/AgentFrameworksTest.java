package dev.switchboard.proxy.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proxy.testing.NodeSdk;
import dev.switchboard.proxy.testing.ReasoningFakes;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real clients, unmodified, through the proxy to each reasoning provider's fake: the OpenAI
 * SDK, the Vercel AI SDK and the OpenAI Agents SDK each finish the two-tool loop, streamed and not.
 */
class AgentFrameworksTest {
  @Test
  void everyClientFinishesTheToolLoopOnEveryProvider() throws Exception {
    ReasoningLoopTest.start();
    try {
      NodeSdk.Run run = NodeSdk.run("agents.mjs", Map.of(
          "BASE_URL", ReasoningLoopTest.proxy.url() + "/v1",
          "MODELS", "anthropic,gemini,responses,ollama,compatible",
          "ECHOING_CLIENTS_ONLY", "deepseek",
          "ANSWER", ReasoningFakes.ANSWER));

      assertThat(run.lines()).as(run.stderr()).hasSize(38).allSatisfy(line -> assertThat(line).contains("\"ok\":true"));
      assertThat(run.exitCode()).isZero();
    } finally {
      ReasoningLoopTest.stop();
    }
  }
}
