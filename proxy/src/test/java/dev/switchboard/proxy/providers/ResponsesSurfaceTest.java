package dev.switchboard.proxy.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.ReasoningFakes;
import dev.switchboard.proxy.testing.ResponsesClient;
import dev.switchboard.proxy.testing.TestProxy;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Responses front door on every provider: the weather agent's three-turn tool loop with
 * reasoning on finishes against fakes that refuse a turn whose continuity did not come back,
 * continued with {@code previous_response_id} and resent whole with {@code store: false},
 * streamed and not; stored responses are read, listed and deleted by their owner only.
 */
class ResponsesSurfaceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() {
    MessagesSurfaceTest.start();
  }

  @AfterAll
  static void stop() {
    MessagesSurfaceTest.stop();
  }

  @ParameterizedTest(name = "{0}, stream={1}, chained={2}")
  @CsvSource({"anthropic, false, true", "anthropic, true, false", "gemini, false, false", "gemini, true, true",
      "responses, false, false", "responses, true, true", "responses, true, false", "ollama, true, true", "ollama, false, false",
      "deepseek, true, false", "deepseek, false, true", "compatible, true, true", "compatible, false, false",
      "compatible-responses, true, false", "compatible-responses, false, true"})
  void aThreeTurnToolLoopWithReasoningFinishes(String model, boolean stream, boolean chained) throws Exception {
    List<ResponsesClient.Answer> turns = ResponsesClient.loop(MessagesSurfaceTest.proxy, model, stream, chained, 5);

    assertThat(turns).allSatisfy(t -> assertThat(t.status()).as(t.body() + t.events()).isEqualTo(200));
    assertThat(turns).hasSize(3);
    JsonNode last = turns.get(2).response();
    assertThat(ResponsesClient.outputText(last)).isEqualTo(ReasoningFakes.ANSWER);
    assertThat(last.path("status").asText()).isEqualTo("completed");
    for (ResponsesClient.Answer t : turns) {
      JsonNode r = t.response();
      assertThat(r.path("id").asText()).startsWith("resp_");
      assertThat(r.path("object").asText()).isEqualTo("response");
      assertThat(r.path("model").asText()).isEqualTo(model);
      assertThat(r.path("usage").path("output_tokens").asLong()).isPositive();
      assertThat(r.path("usage").path("total_tokens").asLong()).isPositive();
      if (stream) {
        List<String> names = t.eventNames();
        assertThat(names.get(0)).isEqualTo("response.created");
        assertThat(names.get(1)).isEqualTo("response.in_progress");
        assertThat(names.get(names.size() - 1)).isEqualTo("response.completed");
        for (int i = 0; i < t.events().size(); i++) {
          assertThat(t.events().get(i).data().path("sequence_number").asInt()).isEqualTo(i);
        }
      }
    }
    JsonNode call = turns.get(0).response().path("output").findParent("call_id");
    assertThat(call.path("type").asText()).isEqualTo("function_call");
    assertThat(JSON.readTree(call.path("arguments").asText()).path("city").asText()).isEqualTo("Paris");
  }

  @Test
  void storedResponsesAreReadListedAndDeletedByTheirOwnerOnly() throws Exception {
    TestProxy proxy = MessagesSurfaceTest.proxy;
    ResponsesClient.Answer a = ResponsesClient.send(proxy, "{\"model\":\"compatible\",\"input\":\"What is the weather in Paris?\","
        + "\"metadata\":{\"team\":\"a\"}}");
    String id = a.response().path("id").asText();

    TestProxy.Reply got = proxy.get("/v1/responses/" + id);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.json().path("id").asText()).isEqualTo(id);
    assertThat(got.json().path("metadata").path("team").asText()).isEqualTo("a");
    TestProxy.Reply items = proxy.get("/v1/responses/" + id + "/input_items");
    assertThat(items.json().path("data").get(0).path("content").get(0).path("text").asText()).isEqualTo("What is the weather in Paris?");
    assertThat(proxy.get("/v1/responses/" + id, "authorization", "Bearer someone-else").status()).isEqualTo(404);
    assertThat(proxy.send("DELETE", proxy.url() + "/v1/responses/" + id, null).json().path("deleted").asBoolean()).isTrue();
    assertThat(proxy.get("/v1/responses/" + id).status()).isEqualTo(404);

    ResponsesClient.Answer unknown = ResponsesClient.send(proxy, "{\"model\":\"compatible\",\"input\":\"more\",\"previous_response_id\":\""
        + id + "\"}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.response().path("error").path("code").asText()).isEqualTo("previous_response_not_found");
    assertThat(unknown.response().path("error").path("param").asText()).isEqualTo("previous_response_id");
  }

  @Test
  void withTheStoreOffNothingIsKeptAndAChainIsA404() {
    TestProxy proxy = TestProxy.start(dev.switchboard.proxy.server.Settings.defaults()
        .withResponseStore(new dev.switchboard.proxy.state.ResponseStoreConfig(
            dev.switchboard.proxy.state.ResponseStoreConfig.Mode.NONE, 1000, java.time.Duration.ofHours(1), java.util.Optional.empty())));
    try {
      proxy.serve(MessagesSurfaceTest.manifests());
      ResponsesClient.Answer a = ResponsesClient.send(proxy, "{\"model\":\"compatible\",\"input\":\"What is the weather in Paris?\"}");
      assertThat(a.status()).isEqualTo(200);
      assertThat(proxy.get("/v1/responses/" + a.response().path("id").asText()).status()).isEqualTo(404);
      ResponsesClient.Answer next = ResponsesClient.send(proxy, "{\"model\":\"compatible\",\"input\":\"more\",\"previous_response_id\":\""
          + a.response().path("id").asText() + "\"}");
      assertThat(next.status()).isEqualTo(404);

      ResponsesClient.Answer passed = ResponsesClient.send(proxy, "{\"model\":\"compatible-responses\",\"input\":\"What is the weather?\"}");
      assertThat(passed.status()).as(passed.body()).isEqualTo(200);
      assertThat(passed.response().path("store").asBoolean(true)).as("the Response says what happened").isFalse();
      assertThat(MessagesSurfaceTest.compatibleResponses.last().body()).as("no backend keeps it in the gateway's place")
          .contains("\"store\":false");
    } finally {
      proxy.close();
    }
  }

  @Test
  void codexShapedRequestsDropBuiltInToolsAndNameThem() throws Exception {
    String body = """
        {"model":"compatible","stream":false,"store":false,"include":["reasoning.encrypted_content"],"reasoning":{"summary":"auto"},
         "parallel_tool_calls":true,"prompt_cache_key":"k","client_metadata":{"a":"b"},
         "tools":[{"type":"function","name":"get_time","parameters":{"type":"object","properties":{}},"strict":false},
                  {"type":"web_search"}],
         "input":[{"type":"message","role":"developer","content":[{"type":"input_text","text":"You are Codex."}]},
                  {"type":"message","role":"user","content":[{"type":"input_text","text":"What time is it?"}]}]}""";
    ResponsesClient.Answer a = ResponsesClient.send(MessagesSurfaceTest.proxy, body);

    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.header("x-switchboard-dropped")).contains("tool web_search", "prompt_cache_key", "client_metadata", "reasoning.summary");
    JsonNode sent = JSON.readTree(MessagesSurfaceTest.compatible.last().body());
    assertThat(sent.path("tools")).hasSize(1);
    assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("system");
  }

  @Test
  void anOpenAiCompatibleBackendWithApiResponsesGetsResponsesClientsBytesAndChatClientsTranslated() throws Exception {
    String body = """
        {"model":"compatible-responses","stream":false,"store":false,"prompt_cache_key":"k","service_tier":"flex",
         "tools":[{"type":"web_search"}],"input":"Hello?"}""";
    ResponsesClient.Answer a = ResponsesClient.send(MessagesSurfaceTest.proxy, body);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    FakeUpstream.Received passed = MessagesSurfaceTest.compatibleResponses.last();
    assertThat(passed.path()).isEqualTo("/v1/responses");
    assertThat(passed.header("authorization")).isEqualTo("Bearer sk-fake-provider-key");
    JsonNode sent = JSON.readTree(passed.body());
    assertThat(sent.path("model").asText()).isEqualTo("gpt-oss");
    assertThat(sent.path("prompt_cache_key").asText()).as("fields the surface does not model pass through").isEqualTo("k");
    assertThat(sent.path("service_tier").asText()).isEqualTo("flex");
    assertThat(sent.path("tools").get(0).path("type").asText()).as("built-in tools pass through").isEqualTo("web_search");
    assertThat(a.header("x-switchboard-dropped")).isNullOrEmpty();
    assertThat(a.response().path("model").asText()).isEqualTo("compatible-responses");

    TestProxy.Reply chat = MessagesSurfaceTest.proxy.chat(
        "{\"model\":\"compatible-responses\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello?\"}]}");
    assertThat(chat.status()).as(chat.body()).isEqualTo(200);
    assertThat(chat.json().path("object").asText()).isEqualTo("chat.completion");
    FakeUpstream.Received translated = MessagesSurfaceTest.compatibleResponses.last();
    assertThat(translated.path()).isEqualTo("/v1/responses");
    assertThat(JSON.readTree(translated.body()).path("input").isArray()).as("a chat request reaches it in the Responses shape").isTrue();
  }
}
