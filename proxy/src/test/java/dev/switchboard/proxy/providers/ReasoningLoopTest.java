package dev.switchboard.proxy.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.testing.AgentLoop.Keeps;
import dev.switchboard.proxy.testing.AgentLoop;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.ReasoningFakes;
import dev.switchboard.proxy.testing.TestPki;
import dev.switchboard.proxy.testing.TestProxy;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Multi-turn tool loops with reasoning on, on every provider, against fakes that refuse a turn
 * whose continuity did not come back with the provider's own error. A client that keeps the
 * message as the SDK returns it, and one that keeps only the fields it knows, both finish.
 */
class ReasoningLoopTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final ReasoningFakes.Anthropic ANTHROPIC = new ReasoningFakes.Anthropic();
  static final ReasoningFakes.Gemini GEMINI = new ReasoningFakes.Gemini();
  static final ReasoningFakes.Responses RESPONSES = new ReasoningFakes.Responses(true);
  static final TestPki.Ca CA = TestPki.ca("Provider Test CA");
  static FakeUpstream anthropic;
  static FakeUpstream gemini;
  static FakeUpstream responses;
  static FakeUpstream lenientResponses;
  static FakeUpstream ollama;
  static FakeUpstream deepseek;
  static FakeUpstream compatible;
  static TestProxy proxy;

  static String manifests() {
    // Anthropic's fake is behind TLS with a private CA, so every tool loop here (and the agent
    // frameworks' in AgentFrameworksTest) also crosses a verified TLS hop.
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: provider-ca}\ndata:\n  ca.crt: |\n" + CA.pem().indent(4) + "---\n" + """
        apiVersion: v1
        kind: Secret
        metadata: {name: keys}
        stringData: {key: sk-fake-provider-key}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: claude}
        spec: {provider: anthropic, url: %s, credentials: {secretRef: {name: keys, key: key}}, models: [{name: claude-fake}],
          tls: {ca: {configMapRef: {name: provider-ca, key: ca.crt}}}}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: gemini}
        spec: {provider: gemini, url: %s, credentials: {secretRef: {name: keys, key: key}}, models: [{name: gemini-3-fake}]}
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
        metadata: {name: azure-lenient}
        spec:
          provider: azure-openai
          url: %s
          credentials: {secretRef: {name: keys, key: key}}
          azure: {apiVersion: v1, api: responses, reasoningSummary: detailed, deployments: {gpt-5: gpt-5-fake}}
          models: [{name: gpt-5}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: ollama}
        spec: {provider: ollama, url: %s, models: [{name: qwen3}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: deepseek}
        spec: {provider: openai-compatible, url: %s, models: [{name: deepseek-fake}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: vllm}
        spec: {provider: openai-compatible, url: %s, models: [{name: qwen-fake}]}
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
        metadata: {name: gemini}
        spec:
          model: gemini
          targets: [{backendRef: {name: gemini}, model: gemini-3-fake, parameters: {reasoning_effort: low}}]
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
        metadata: {name: responses-lenient}
        spec:
          model: responses-lenient
          targets: [{backendRef: {name: azure-lenient}, model: gpt-5, parameters: {reasoning_effort: medium}}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: ollama}
        spec:
          model: ollama
          targets: [{backendRef: {name: ollama}, model: qwen3, parameters: {reasoning_effort: high}}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: deepseek}
        spec: {model: deepseek, targets: [{backendRef: {name: deepseek}, model: deepseek-fake}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: compatible}
        spec: {model: compatible, targets: [{backendRef: {name: vllm}, model: qwen-fake}]}
        """.formatted(anthropic.url(), gemini.url(), responses.url(), lenientResponses.url(), ollama.url(), deepseek.url(),
        compatible.url());
  }

  @BeforeAll
  static void start() {
    anthropic = FakeUpstream.startTls(CA.server().serverTls()).then(ANTHROPIC.behaviour());
    gemini = FakeUpstream.start().then(GEMINI.behaviour());
    responses = FakeUpstream.start().then(RESPONSES.behaviour());
    lenientResponses = FakeUpstream.start().then(new ReasoningFakes.Responses(false).behaviour());
    ollama = FakeUpstream.start().then(new ReasoningFakes.Ollama().behaviour());
    deepseek = FakeUpstream.start().then(new ReasoningFakes.OpenAiCompatible(true).behaviour());
    compatible = FakeUpstream.start().then(new ReasoningFakes.OpenAiCompatible(false).behaviour());
    proxy = TestProxy.start();
    proxy.serve(manifests());
  }

  @AfterAll
  static void stop() {
    proxy.close();
    for (FakeUpstream u : List.of(anthropic, gemini, responses, lenientResponses, ollama, deepseek, compatible)) {
      u.close();
    }
  }

  @ParameterizedTest(name = "{0}, stream={1}, client keeps {2}")
  @CsvSource({
      "anthropic, false, EVERYTHING", "anthropic, true, EVERYTHING", "anthropic, false, ONLY_KNOWN_FIELDS", "anthropic, true, ONLY_KNOWN_FIELDS",
      "gemini, false, EVERYTHING", "gemini, true, EVERYTHING", "gemini, false, ONLY_KNOWN_FIELDS", "gemini, true, ONLY_KNOWN_FIELDS",
      "responses, false, EVERYTHING", "responses, true, EVERYTHING", "responses, false, ONLY_KNOWN_FIELDS", "responses, true, ONLY_KNOWN_FIELDS",
      "ollama, false, EVERYTHING", "ollama, true, EVERYTHING", "ollama, false, ONLY_KNOWN_FIELDS", "ollama, true, ONLY_KNOWN_FIELDS",
      "deepseek, false, EVERYTHING", "deepseek, true, EVERYTHING",
      "compatible, false, ONLY_KNOWN_FIELDS", "compatible, true, ONLY_KNOWN_FIELDS"})
  void aThreeTurnToolLoopWithReasoningFinishes(String model, boolean stream, Keeps keeps) throws Exception {
    List<AgentLoop.Turn> turns = AgentLoop.run(proxy, model, stream, keeps, 5);

    assertThat(turns).allSatisfy(t -> assertThat(t.status()).as(t.raw()).isEqualTo(200));
    assertThat(turns).hasSize(3);
    assertThat(turns.get(2).message().path("content").asText()).isEqualTo(ReasoningFakes.ANSWER);
    for (AgentLoop.Turn t : turns) {
      assertThat(t.header("x-switchboard-degraded")).as("nothing degraded").isEmpty();
      for (JsonNode call : t.message().path("tool_calls")) {
        assertThat(JSON.readTree(call.path("function").path("arguments").asText()).isObject())
            .as("arguments are a JSON object: %s", call).isTrue();
      }
      if (!model.equals("ollama")) { // Ollama counts no reasoning or cached tokens
        assertThat(t.usage().path("completion_tokens_details").path("reasoning_tokens").asLong()).as("reasoning tokens").isPositive();
        assertThat(t.usage().path("prompt_tokens_details").path("cached_tokens").asLong()).as("cached tokens").isPositive();
      }
    }
    assertThat(turns.get(1).message().path("tool_calls").path(0).path("function").path("arguments").asText()).isEqualTo("{}");
    if (!stream) {
      assertThat(turns.get(0).message().path("reasoning_content").asText()).startsWith("Step 1");
    }
  }

  @Test
  void anthropicThinkingStaysOnEveryTurnAndTheLastTurnStartsWithSignedThinking() throws Exception {
    int before = ANTHROPIC.thinkingRequests.get();
    List<AgentLoop.Turn> turns = AgentLoop.run(proxy, "anthropic", true, Keeps.EVERYTHING, 5);

    assertThat(turns).hasSize(3);
    assertThat(ANTHROPIC.thinkingRequests.get() - before).isEqualTo(3);
    JsonNode last = JSON.readTree(anthropic.last().body());
    JsonNode lastAssistant = last.path("messages").get(last.path("messages").size() - 2);
    assertThat(lastAssistant.path("content").path(0).path("type").asText()).isEqualTo("thinking");
    assertThat(lastAssistant.path("content").path(1).path("type").asText()).isEqualTo("redacted_thinking");
    assertThat(lastAssistant.path("content").path(2).path("type").asText()).isEqualTo("tool_use");
  }

  @Test
  void responsesBackendsAskForEncryptedReasoningAndSummaries() throws Exception {
    List<AgentLoop.Turn> turns = AgentLoop.run(proxy, "responses", false, Keeps.ONLY_KNOWN_FIELDS, 5);

    assertThat(turns).hasSize(3);
    JsonNode sent = JSON.readTree(responses.last().body());
    assertThat(sent.path("include").toString()).contains("reasoning.encrypted_content");
    assertThat(sent.path("reasoning").path("summary").asText()).isEqualTo("auto");
    assertThat(sent.path("input").toString()).contains("\"type\":\"reasoning\"");
    AgentLoop.run(proxy, "responses-lenient", true, Keeps.EVERYTHING, 1);
    assertThat(JSON.readTree(lenientResponses.last().body()).path("reasoning").path("summary").asText()).isEqualTo("detailed");
  }

  /** Another replica, which never saw the first turns: what a client keeping only ids gets there. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"anthropic, thinking-disabled", "gemini, thought-signature-placeholder", "responses-lenient, ''"})
  void aReplicaWithoutTheDataDegradesTheTurnInsteadOfFailing(String model, String degraded) {
    try (TestProxy other = TestProxy.start()) {
      other.serve(manifests());
      List<AgentLoop.Turn> first = AgentLoop.run(proxy, model, false, Keeps.ONLY_KNOWN_FIELDS, 1);
      assertThat(first).hasSize(1);
      // The same conversation, continued on a proxy whose store is empty.
      List<AgentLoop.Turn> turns = ContinuedElsewhere.run(other, model, AgentLoop.known(first.get(0).message()));

      assertThat(turns).allSatisfy(t -> assertThat(t.status()).as(t.raw()).isEqualTo(200));
      assertThat(turns.get(0).header("x-switchboard-degraded")).isEqualTo(degraded);
    }
  }

  /** A failover route mixing providers: each sees only its own continuity, never the other's. */
  @Test
  void aConversationMovingBetweenProvidersNeverSendsForeignData() throws Exception {
    List<AgentLoop.Turn> first = AgentLoop.run(proxy, "anthropic", false, Keeps.EVERYTHING, 1);
    assertThat(first.get(0).message().path("reasoning_details").isArray()).isTrue();
    List<AgentLoop.Turn> onGemini = ContinuedElsewhere.run(proxy, "gemini", first.get(0).message());
    assertThat(onGemini).allSatisfy(t -> assertThat(t.status()).as(t.raw()).isEqualTo(200));
    String sentToGemini = gemini.last().body();
    assertThat(sentToGemini).doesNotContain("sb1.").doesNotContain(first.get(0).message().path("tool_calls").path(0)
        .path("extra_content").path("switchboard").path("continuity").asText("none"));
    List<AgentLoop.Turn> onCompatible = ContinuedElsewhere.run(proxy, "deepseek", first.get(0).message());
    assertThat(onCompatible.get(0).status()).as("an OpenAI-format backend gets no Switchboard fields").isNotEqualTo(400);
  }

  /** Google documents a placeholder for function calls no model made; a client may set it itself. */
  @Test
  void aClientsOwnPlaceholderSignatureGoesToGeminiAsItIs() {
    int before = GEMINI.placeholders.get();
    TestProxy.Reply r = proxy.chat("""
        {"model":"gemini","messages":[{"role":"user","content":"What is the weather in Paris?"},
          {"role":"assistant","content":null,"tool_calls":[{"id":"call_own","type":"function",
            "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"},
            "extra_content":{"google":{"thought_signature":"skip_thought_signature_validator"}}}]},
          {"role":"tool","tool_call_id":"call_own","content":"sunny"}]}""");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.header("x-switchboard-degraded")).as("the client's own signature, not a degradation").isEmpty();
    assertThat(GEMINI.placeholders.get() - before).isEqualTo(1);
  }

  /** With --continuity-store-chars 0 nothing is remembered: a client keeping only ids degrades on turn two. */
  @Test
  void withTheStoreOffAStrippingClientDegradesInsteadOfFailing() {
    try (TestProxy off = TestProxy.start(dev.switchboard.proxy.server.Settings.defaults()
        .withContinuity(new dev.switchboard.proxy.exchange.ContinuityStore.Bounds(0, java.time.Duration.ofHours(1))))) {
      off.serve(manifests());
      List<AgentLoop.Turn> turns = AgentLoop.run(off, "anthropic", false, Keeps.ONLY_KNOWN_FIELDS, 5);

      assertThat(turns).hasSize(3).allSatisfy(t -> assertThat(t.status()).as(t.raw()).isEqualTo(200));
      assertThat(turns.get(1).header("x-switchboard-degraded")).isEqualTo("thinking-disabled");
    }
  }
}
