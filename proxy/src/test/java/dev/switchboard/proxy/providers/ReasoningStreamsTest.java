package dev.switchboard.proxy.providers;

import static dev.switchboard.proxy.testing.FakeUpstream.json;
import static dev.switchboard.proxy.testing.FakeUpstream.split;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proxy.testing.AgentLoop.Keeps;
import dev.switchboard.proxy.testing.AgentLoop;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.ReasoningFakes;
import dev.switchboard.proxy.testing.TestProxy;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Continuity under real network conditions: streams delivered one byte per write (so every byte
 * boundary is a read boundary, UTF-8 sequences and JSON escapes split) give what whole streams
 * give; a failover route mixing Anthropic and Gemini moves a conversation between them mid-loop.
 */
class ReasoningStreamsTest {
  private final ReasoningFakes.Anthropic claude = new ReasoningFakes.Anthropic();
  private final ReasoningFakes.Gemini geminiModel = new ReasoningFakes.Gemini();
  private FakeUpstream anthropic;
  /** A second Anthropic account: its own signing key, so the first one's signatures fail there. */
  private FakeUpstream otherAnthropic;
  private FakeUpstream responses;
  private FakeUpstream gemini;
  private TestProxy proxy;

  @BeforeEach
  void start() {
    anthropic = FakeUpstream.start();
    otherAnthropic = FakeUpstream.start().then(new ReasoningFakes.Anthropic().behaviour());
    responses = FakeUpstream.start();
    gemini = FakeUpstream.start().then(geminiModel.behaviour());
    proxy = TestProxy.start();
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
        metadata: {name: claude-eu}
        spec: {provider: anthropic, url: %s, credentials: {secretRef: {name: keys, key: key}}, models: [{name: claude-fake}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: anthropic-eu}
        spec:
          model: anthropic-eu
          targets: [{backendRef: {name: claude-eu}, model: claude-fake, parameters: {reasoning_effort: medium}}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: azure}
        spec:
          provider: azure-openai
          url: %s
          credentials: {secretRef: {name: keys, key: key}}
          azure: {apiVersion: v1, api: responses, deployments: {gpt-5: gpt-5-fake}}
          models: [{name: gpt-5}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: gemini}
        spec: {provider: gemini, url: %s, credentials: {secretRef: {name: keys, key: key}}, models: [{name: gemini-3-fake}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: anthropic}
        spec:
          model: anthropic
          targets: [{backendRef: {name: claude}, model: claude-fake, parameters: {reasoning_effort: medium}}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: responses}
        spec:
          model: responses
          targets: [{backendRef: {name: azure}, model: gpt-5, parameters: {reasoning_effort: medium}}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: gemini-direct}
        spec:
          model: gemini-direct
          targets: [{backendRef: {name: gemini}, model: gemini-3-fake}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: mixed}
        spec:
          model: mixed
          strategy: failover
          retry: {attempts: 2}
          targets:
            - {backendRef: {name: claude}, model: claude-fake, parameters: {reasoning_effort: medium}}
            - {backendRef: {name: gemini}, model: gemini-3-fake, parameters: {reasoning_effort: low}}
        """.formatted(anthropic.url(), otherAnthropic.url(), responses.url(), gemini.url()));
  }

  @AfterEach
  void stop() {
    proxy.close();
    anthropic.close();
    otherAnthropic.close();
    responses.close();
    gemini.close();
  }

  @Test
  void anthropicStreamsReadOneByteAtATimeGiveTheSameMessage() {
    String body = claude.streamBody(1); // thinking, redacted thinking, a call without arguments
    anthropic.then(split("text/event-stream", body, body.length()), split("text/event-stream", body, 1));
    AgentLoop.Turn whole = AgentLoop.run(proxy, "anthropic", true, Keeps.EVERYTHING, 1).get(0);
    AgentLoop.Turn bytewise = AgentLoop.run(proxy, "anthropic", true, Keeps.EVERYTHING, 1).get(0);

    assertThat(whole.status()).as(whole.raw()).isEqualTo(200);
    assertThat(whole.message().path("reasoning_details").isArray()).isTrue();
    assertThat(whole.message().path("tool_calls").path(0).path("function").path("arguments").asText()).isEqualTo("{}");
    assertThat(bytewise.message()).isEqualTo(whole.message());
  }

  @Test
  void responsesStreamsReadOneByteAtATimeGiveTheSameMessage() {
    String body = new ReasoningFakes.Responses(false).streamBody(0);
    responses.then(split("text/event-stream", body, body.length()), split("text/event-stream", body, 1));
    AgentLoop.Turn whole = AgentLoop.run(proxy, "responses", true, Keeps.EVERYTHING, 1).get(0);
    AgentLoop.Turn bytewise = AgentLoop.run(proxy, "responses", true, Keeps.EVERYTHING, 1).get(0);

    assertThat(whole.status()).as(whole.raw()).isEqualTo(200);
    assertThat(whole.message().path("reasoning_content").asText()).contains("caf\u00e9 \ud83c\udf24");
    assertThat(bytewise.message()).isEqualTo(whole.message());
  }

  @Test
  void aFailoverRouteMixingAnthropicAndGeminiNeverGetsAProvider400() {
    anthropic.then(claude.behaviour(),
        json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"),
        claude.behaviour());

    List<AgentLoop.Turn> turns = AgentLoop.run(proxy, "mixed", false, Keeps.EVERYTHING, 5);

    assertThat(turns).allSatisfy(t -> assertThat(t.status()).as(t.raw()).isEqualTo(200));
    assertThat(turns).extracting(t -> t.header("x-switchboard-backend")).startsWith("default/claude", "default/gemini");
    assertThat(turns.get(2).message().path("content").asText()).isEqualTo(ReasoningFakes.ANSWER);
    assertThat(gemini.received().get(0).body()).as("no Anthropic signature reached Gemini").doesNotContain("sb1");
    // Back on Anthropic after a Gemini tool call, for which no signed thinking can exist.
    List<AgentLoop.Turn> back = ContinuedElsewhere.run(proxy, "anthropic", turns.get(1).message());
    assertThat(back.get(0).status()).as(back.get(0).raw()).isEqualTo(200);
    assertThat(back.get(0).header("x-switchboard-degraded")).isEqualTo("thinking-disabled");
  }

  /** Two backends of one provider are two issuers: one's signatures never reach the other. */
  @Test
  void signedThinkingNeverGoesToAnotherBackendOfTheSameProvider() {
    anthropic.then(claude.behaviour());
    AgentLoop.Turn first = AgentLoop.run(proxy, "anthropic", false, Keeps.EVERYTHING, 1).get(0);

    List<AgentLoop.Turn> there = ContinuedElsewhere.run(proxy, "anthropic-eu", first.message());

    assertThat(there.get(0).status()).as(there.get(0).raw()).isEqualTo(200);
    assertThat(there.get(0).header("x-switchboard-degraded")).isEqualTo("thinking-disabled");
    assertThat(otherAnthropic.last().body()).doesNotContain(first.message().path("reasoning_details").path(0).path("text").asText());
  }

  /** Carriers a client mangled are ignored like absent ones: the turn degrades, nothing fails. */
  @Test
  void malformedContinuityFieldsAreIgnored() {
    anthropic.then(claude.behaviour());
    TestProxy.Reply r = proxy.chat("""
        {"model":"anthropic","messages":[{"role":"user","content":"Weather?"},
          {"role":"assistant","content":null,"reasoning_details":[{"type":"reasoning.encrypted","format":"switchboard-v1","data":"sb1.zz.!!"},7,"x"],
           "tool_calls":[{"id":"toolu_x","type":"function","function":{"name":"get_weather","arguments":"{}"},
             "extra_content":{"switchboard":{"continuity":42},"google":{"thought_signature":["no"]}}}]},
          {"role":"tool","tool_call_id":"toolu_x","content":"sunny"}]}""");
    TestProxy.Reply notAnArray = proxy.chat("""
        {"model":"gemini-direct","messages":[{"role":"user","content":"Weather?"},
          {"role":"assistant","content":"","reasoning_details":"sb1.x.y","tool_calls":[{"id":"c1","type":"function",
            "function":{"name":"get_weather","arguments":"{}"},"extra_content":"sb1:zz:"}]},
          {"role":"tool","tool_call_id":"c1","content":"sunny"}]}""");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.header("x-switchboard-degraded")).isEqualTo("thinking-disabled");
    assertThat(notAnArray.status()).as(notAnArray.body()).isEqualTo(200);
    assertThat(notAnArray.header("x-switchboard-degraded")).isEqualTo("thought-signature-placeholder");
  }
}
