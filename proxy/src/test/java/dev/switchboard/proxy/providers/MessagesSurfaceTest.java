package dev.switchboard.proxy.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.MessagesClient;
import dev.switchboard.proxy.testing.ReasoningFakes;
import dev.switchboard.proxy.testing.TestProxy;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Anthropic Messages front door on every provider: a three-turn tool loop with thinking on
 * finishes against fakes that refuse a turn whose continuity did not come back, streamed and
 * not; Anthropic backends get the client's bytes; other backends get what they can express,
 * with the rest named in {@code x-switchboard-dropped}.
 */
class MessagesSurfaceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final ReasoningFakes.Anthropic ANTHROPIC = new ReasoningFakes.Anthropic();
  static final ReasoningFakes.Gemini GEMINI = new ReasoningFakes.Gemini();
  static FakeUpstream anthropic;
  static FakeUpstream gemini;
  static FakeUpstream responses;
  static FakeUpstream ollama;
  static FakeUpstream deepseek;
  static FakeUpstream compatible;
  static FakeUpstream compatibleResponses;
  static TestProxy proxy;

  static String manifests() {
    return """
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
        kind: ChatBackend
        metadata: {name: vllm-responses}
        spec: {provider: openai-compatible, api: responses, url: %s/v1, credentials: {secretRef: {name: keys, key: key}}, models: [{name: gpt-oss}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: compatible-responses}
        spec: {model: compatible-responses, targets: [{backendRef: {name: vllm-responses}, model: gpt-oss}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: anthropic}
        spec: {model: anthropic, targets: [{backendRef: {name: claude}, model: claude-fake}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: gemini}
        spec: {model: gemini, targets: [{backendRef: {name: gemini}, model: gemini-3-fake}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: responses}
        spec: {model: responses, targets: [{backendRef: {name: azure}, model: gpt-5}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: ollama}
        spec: {model: ollama, targets: [{backendRef: {name: ollama}, model: qwen3}]}
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
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: gemini-then-claude}
        spec:
          model: gemini-then-claude
          strategy: failover
          targets: [{backendRef: {name: gemini}, model: gemini-3-fake}, {backendRef: {name: claude}, model: claude-fake}]
        """.formatted(anthropic.url(), gemini.url(), responses.url(), ollama.url(), deepseek.url(), compatible.url(),
            compatibleResponses.url());
  }

  @BeforeAll
  static void start() {
    anthropic = FakeUpstream.start().then(ANTHROPIC.behaviour());
    gemini = FakeUpstream.start().then(GEMINI.behaviour());
    responses = FakeUpstream.start().then(new ReasoningFakes.Responses(true).behaviour());
    ollama = FakeUpstream.start().then(new ReasoningFakes.Ollama().behaviour());
    deepseek = FakeUpstream.start().then(new ReasoningFakes.OpenAiCompatible(true).behaviour());
    compatible = FakeUpstream.start().then(new ReasoningFakes.OpenAiCompatible(false).behaviour());
    compatibleResponses = FakeUpstream.start().then(new ReasoningFakes.Responses(true).behaviour());
    proxy = TestProxy.start();
    proxy.serve(manifests());
  }

  @AfterAll
  static void stop() {
    proxy.close();
    for (FakeUpstream u : List.of(anthropic, gemini, responses, ollama, deepseek, compatible, compatibleResponses)) {
      u.close();
    }
  }

  private static final String THINKING = "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}";

  @ParameterizedTest(name = "{0}, stream={1}")
  @CsvSource({"anthropic, false", "anthropic, true", "gemini, false", "gemini, true", "responses, false", "responses, true",
      "ollama, false", "ollama, true", "deepseek, false", "deepseek, true", "compatible, false", "compatible, true"})
  void aThreeTurnToolLoopWithThinkingFinishes(String model, boolean stream) throws Exception {
    List<MessagesClient.Answer> turns = MessagesClient.loop(proxy, model, stream, THINKING, 5);

    assertThat(turns).allSatisfy(t -> assertThat(t.status()).as(t.body() + t.events()).isEqualTo(200));
    assertThat(turns).hasSize(3);
    assertThat(MessagesClient.text(turns.get(2).message())).isEqualTo(ReasoningFakes.ANSWER);
    for (MessagesClient.Answer t : turns) {
      JsonNode m = t.message();
      assertThat(m.path("id").asText()).startsWith("msg_");
      assertThat(m.path("model").asText()).isEqualTo(model);
      assertThat(m.path("type").asText()).isEqualTo("message");
      assertThat(m.path("usage").path("output_tokens").asLong()).isPositive();
      assertThat(t.header("x-switchboard-degraded")).isEmpty();
      if (stream) {
        List<String> names = t.eventNames();
        assertThat(names.get(0)).isEqualTo("message_start");
        assertThat(names.get(names.size() - 2)).isEqualTo("message_delta");
        assertThat(names.get(names.size() - 1)).isEqualTo("message_stop");
      }
    }
    assertThat(turns.get(0).message().path("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(turns.get(2).message().path("stop_reason").asText()).isEqualTo("end_turn");
    JsonNode call = turns.get(0).message().path("content").findParent("input");
    assertThat(call.path("input").path("city").asText()).isEqualTo("Paris");
  }

  @Test
  void anthropicBackendsGetTheClientsBytesAndHeaders() throws Exception {
    String body = "{\"model\":\"anthropic\",\"max_tokens\":100,\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\","
        + "\"cache_control\":{\"type\":\"ephemeral\"}}],\"context_management\":{\"edits\":[]},\"service_tier\":\"standard_only\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}";
    MessagesClient.Answer a = MessagesClient.send(proxy.url() + "/v1/messages?beta=true", body,
        "anthropic-beta", "context-management-2025-06-27", "x-api-key", "sk-client");

    assertThat(a.status()).as(a.body()).isEqualTo(200);
    FakeUpstream.Received sent = anthropic.last();
    assertThat(sent.body()).isEqualTo(body.replace("\"model\":\"anthropic\"", "\"model\":\"claude-fake\""));
    assertThat(sent.query()).isEqualTo("beta=true");
    assertThat(sent.header("anthropic-beta")).isEqualTo("context-management-2025-06-27");
    assertThat(sent.header("x-api-key")).isEqualTo("sk-fake-provider-key");
    assertThat(a.header("x-switchboard-dropped")).isEmpty();
    assertThat(a.message().path("model").asText()).isEqualTo("anthropic");
  }

  @Test
  void translatedRoutesDropHintsAndNameThem() throws Exception {
    String body = "{\"model\":\"compatible\",\"max_tokens\":100,\"top_k\":5,\"context_management\":{\"edits\":[]},"
        + "\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"},{\"name\":\"get_time\",\"input_schema\":{\"type\":\"object\"},"
        + "\"cache_control\":{\"type\":\"ephemeral\"}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"What time is it?\"}]}";
    MessagesClient.Answer a = MessagesClient.send(proxy.url() + "/v1/messages", body, "anthropic-beta", "claude-code-20250219");

    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.header("x-switchboard-dropped")).contains("top_k", "context_management", "tool web_search (web_search_20250305)",
        "cache_control", "anthropic-beta claude-code-20250219");
    JsonNode sent = JSON.readTree(compatible.last().body());
    assertThat(sent.path("tools")).hasSize(1);
    assertThat(sent.has("top_k")).isFalse();
  }

  @Test
  void forcingAServerToolOnATranslatedRouteIsA400NamingIt() {
    String body = "{\"model\":\"compatible\",\"max_tokens\":100,\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}],"
        + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"web_search\"},\"messages\":[{\"role\":\"user\",\"content\":\"news?\"}]}";
    MessagesClient.Answer a = MessagesClient.send(proxy, body);

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.message().path("type").asText()).isEqualTo("error");
    assertThat(a.message().path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(a.message().path("error").path("message").asText()).contains("web_search");
  }

  @Test
  void continuityFromGeminiIsLeftOutWhenTheRouteFailsOverToAnthropic() throws Exception {
    // Turn one on Gemini; turn two, with the thinking block Gemini's continuity rides in, goes to an Anthropic backend.
    List<MessagesClient.Answer> first = MessagesClient.loop(proxy, "gemini-then-claude", true, THINKING, 1);
    assertThat(first.get(0).status()).isEqualTo(200);
    assertThat(first.get(0).header("x-switchboard-backend")).isEqualTo("default/gemini");
    JsonNode content = first.get(0).message().path("content");
    String signature = "";
    for (JsonNode b : content) {
      if (b.path("type").asText().equals("thinking") && b.path("signature").asText().startsWith("sb1")) {
        signature = b.path("signature").asText();
      }
    }
    assertThat(signature).as("the Gemini thought signature travels as the thinking block's signature").isNotEmpty();
    String tool = content.findParent("input").path("id").asText();
    String body = "{\"model\":\"anthropic\",\"max_tokens\":8192,\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
        + "{\"role\":\"assistant\",\"content\":" + content + "},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"" + tool + "\",\"content\":\"sunny\"}]}],"
        + "\"tools\":" + MessagesClient.TOOLS + "}";
    MessagesClient.Answer second = MessagesClient.send(proxy, body);

    assertThat(second.status()).as(second.body()).isEqualTo(200);
    assertThat(anthropic.last().body()).doesNotContain("sb1");
  }

  @Test
  void modelsListInAnthropicsShapeWhenAskedWithAnthropicVersion() {
    TestProxy.Reply list = proxy.get("/v1/models", "anthropic-version", "2023-06-01");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().path("data").path(0).path("type").asText()).isEqualTo("model");
    assertThat(list.json().has("has_more")).isTrue();
    assertThat(list.json().path("first_id").asText()).isNotEmpty();
    TestProxy.Reply one = proxy.get("/v1/models/gemini", "anthropic-version", "2023-06-01");
    assertThat(one.json().path("id").asText()).isEqualTo("gemini");
    assertThat(one.json().path("created_at").asText()).endsWith("Z");
    TestProxy.Reply missing = proxy.get("/v1/models/nope", "anthropic-version", "2023-06-01");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().path("error").path("type").asText()).isEqualTo("not_found_error");
    assertThat(proxy.get("/v1/models").json().path("object").asText()).isEqualTo("list");
  }

  @Test
  void countTokensIsExactFromAnthropicAndAnEstimateElsewhere() {
    anthropic.then((req, res, r) -> {
      if (r.path().endsWith("/count_tokens")) {
        res.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "application/json");
        res.send(r.body().contains("max_tokens") ? "{\"type\":\"error\"}" : "{\"input_tokens\":42}");
      } else {
        ANTHROPIC.behaviour().answer(req, res, r);
      }
    });
    try {
      String body = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there, how are you today?\"}]}";
      TestProxy.Reply exact = proxy.send("POST", proxy.url() + "/v1/messages/count_tokens", body.formatted("anthropic"),
          "anthropic-version", "2023-06-01");
      assertThat(exact.status()).as(exact.body()).isEqualTo(200);
      assertThat(exact.json().path("input_tokens").asLong()).isEqualTo(42);
      assertThat(exact.header("x-switchboard-token-count")).isEqualTo("exact");
      TestProxy.Reply estimate = proxy.send("POST", proxy.url() + "/v1/messages/count_tokens", body.formatted("gemini"),
          "anthropic-version", "2023-06-01");
      assertThat(estimate.status()).isEqualTo(200);
      assertThat(estimate.json().path("input_tokens").asLong()).isBetween(5L, 20L);
      assertThat(estimate.header("x-switchboard-token-count")).isEqualTo("estimate");
    } finally {
      anthropic.then(ANTHROPIC.behaviour());
    }
  }
}
