package dev.switchboard.proxy;

import static dev.switchboard.proxy.testing.FakeUpstream.completion;
import static dev.switchboard.proxy.testing.FakeUpstream.sse;
import static dev.switchboard.proxy.testing.FakeUpstream.streamOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.TestProxy;
import dev.switchboard.proxy.testing.Wire;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OpenAI and openai-compatible backends: requests go out spliced, answers come back untouched. */
class OpenAiPassthroughTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private FakeUpstream upstream;
  private TestProxy proxy;

  @BeforeEach
  void start() {
    upstream = FakeUpstream.start();
    proxy = TestProxy.start();
    proxy.serve("""
        apiVersion: v1
        kind: Secret
        metadata: {name: keys}
        stringData: {openai: sk-upstream-key}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: openai}
        spec:
          provider: openai-compatible
          url: %s/v1/
          credentials: {secretRef: {name: keys, key: openai}}
          headers: {X-Team: platform}
          models: [{name: gpt-4o, upstreamName: gpt-4o-2024-11-20, pricing: {input: 2.5, output: 10}}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: smart}
        spec:
          model: smart
          aliases: [clever]
          defaults: {temperature: 0.2, max_tokens: 100}
          targets:
            - backendRef: {name: openai}
              model: gpt-4o
              parameters: {reasoning_effort: high, temperature: 0.7}
        """.formatted(upstream.url()));
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
  }

  @Test
  void rewritesTheRequestAndPassesTheAnswerThrough() throws Exception {
    upstream.then(completion("Hi there"));
    TestProxy.Reply reply = proxy.chat("""
        {"model":"clever","messages":[{"role":"user","content":"Hello"}],"max_tokens":42,
         "x_vendor_field":{"keep":["me",1]},"user":"u-1"}""",
        "Authorization", "Bearer client-key-must-not-leak", "x-request-id", "req-123");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo(Wire.completion("Hi there"));
    assertThat(reply.header("x-switchboard-route")).isEqualTo("default/smart");
    assertThat(reply.header("x-switchboard-backend")).isEqualTo("default/openai");
    assertThat(reply.header("x-switchboard-attempts")).isEqualTo("1");
    assertThat(reply.header("x-request-id")).isEqualTo("req-123");

    FakeUpstream.Received sent = upstream.last();
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.header("authorization")).isEqualTo("Bearer sk-upstream-key");
    assertThat(sent.header("x-team")).isEqualTo("platform");
    assertThat(sent.header("content-type")).startsWith("application/json");
    assertThat(sent.header("x-request-id")).isEmpty();
    JsonNode body = JSON.readTree(sent.body());
    assertThat(body.get("model").asText()).isEqualTo("gpt-4o-2024-11-20");
    assertThat(body.get("max_tokens").asInt()).as("the client's value beats a default").isEqualTo(42);
    assertThat(body.get("temperature").asDouble()).as("a target parameter beats everything").isEqualTo(0.7);
    assertThat(body.get("reasoning_effort").asText()).isEqualTo("high");
    assertThat(body.get("x_vendor_field").toString()).isEqualTo("{\"keep\":[\"me\",1]}");
    assertThat(body.get("user").asText()).isEqualTo("u-1");
    assertThat(sent.body()).contains("\"x_vendor_field\":{\"keep\":[\"me\",1]}");
  }

  @Test
  void streamsEventByEventAndEndsWithDone() {
    upstream.then(sse(Duration.ZERO, streamOf("Hello", " world")));
    TestProxy.Streamed s = proxy.stream("""
        {"model":"smart","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}""");
    assertThat(s.status()).isEqualTo(200);
    assertThat(s.header("content-type")).startsWith("text/event-stream");
    assertThat(s.header("x-switchboard-backend")).isEqualTo("default/openai");
    assertThat(s.content()).isEqualTo("Hello world");
    assertThat(s.data()).last().isEqualTo("[DONE]");
    assertThat(s.data()).anyMatch(d -> d.contains("\"usage\":{\"prompt_tokens\":7"));
    assertThat(upstream.last().header("accept")).isEqualTo("text/event-stream");
  }

  @Test
  void asksTheUpstreamForAStreamsUsageAndKeepsThatChunkFromAClientThatDidNotAsk() throws Exception {
    upstream.then(sse(Duration.ZERO, streamOf("Hello", " world")));
    TestProxy.Streamed s = proxy.stream("""
        {"model":"smart","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");
    assertThat(s.status()).isEqualTo(200);
    assertThat(s.content()).isEqualTo("Hello world");
    assertThat(JSON.readTree(upstream.last().body()).at("/stream_options/include_usage").asBoolean())
        .as("limits, budgets and metrics need the usage").isTrue();
    assertThat(s.data()).noneMatch(d -> d.contains("\"usage\":{")).last().isEqualTo("[DONE]");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.accessLog().isEmpty());
    JsonNode entry = JSON.readTree(proxy.accessLog().get(0));
    assertThat(entry.get("prompt_tokens").asInt()).as("counted from the chunk the client did not see").isEqualTo(7);
    assertThat(entry.get("completion_tokens").asInt()).isEqualTo(2);
  }

  @Test
  void leavesAClientsOwnStreamOptionsAsTheyAre() throws Exception {
    upstream.then(sse(Duration.ZERO, streamOf("Hi")));
    proxy.stream("""
        {"model":"smart","stream":true,"stream_options":{"include_usage":false},"messages":[{"role":"user","content":"Hi"}]}""");
    assertThat(JSON.readTree(upstream.last().body()).get("stream_options").toString()).isEqualTo("{\"include_usage\":false}");
  }

  @Test
  void aStreamCutBeforeItsUsageCountsAnEstimateNotNothing() throws Exception {
    upstream.then(FakeUpstream.cutAfter(Wire.roleChunk(), Wire.chunk("Hel"), Wire.chunk("lo")));
    String body = """
        {"model":"smart","stream":true,"messages":[{"role":"user","content":"Hi"}]}""";
    TestProxy.Streamed s = proxy.stream(body);
    assertThat(s.content()).isEqualTo("Hello");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.accessLog().isEmpty());
    JsonNode entry = JSON.readTree(proxy.accessLog().get(0));
    assertThat(entry.get("completion_tokens").asInt()).as("one per relayed event").isEqualTo(3);
    assertThat(entry.get("prompt_tokens").asInt()).as("a quarter of the body's bytes").isEqualTo((body.length() + 3) / 4);
  }

  @Test
  void writesOneAccessLogLinePerRequestWithoutBodiesOrSecrets() throws Exception {
    upstream.then(completion("secret answer text"));
    proxy.chat("{\"model\":\"smart\",\"messages\":[{\"role\":\"user\",\"content\":\"private prompt\"}]}", "x-request-id", "log-me");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.accessLog().isEmpty());
    String line = proxy.accessLog().get(0);
    JsonNode entry = JSON.readTree(line);
    assertThat(entry.get("request_id").asText()).isEqualTo("log-me");
    assertThat(entry.get("route").asText()).isEqualTo("default/smart");
    assertThat(entry.get("backend").asText()).isEqualTo("default/openai");
    assertThat(entry.get("status").asInt()).isEqualTo(200);
    assertThat(entry.get("attempts").asInt()).isEqualTo(1);
    assertThat(entry.get("prompt_tokens").asInt()).isEqualTo(12);
    assertThat(entry.get("completion_tokens").asInt()).isEqualTo(5);
    assertThat(entry.has("latency_ms")).isTrue();
    assertThat(line).doesNotContain("private prompt", "secret answer", "sk-upstream-key");
  }

  @Test
  void listsModelsAndAliases() {
    TestProxy.Reply list = proxy.get("/v1/models");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().get("object").asText()).isEqualTo("list");
    assertThat(list.json().findValuesAsText("id")).containsExactly("clever", "smart");
    TestProxy.Reply one = proxy.get("/v1/models/clever");
    assertThat(one.json().get("id").asText()).isEqualTo("clever");
    assertThat(one.json().get("switchboard").get("route").asText()).isEqualTo("default/smart");
    TestProxy.Reply missing = proxy.get("/v1/models/gpt-5");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("error").get("code").asText()).isEqualTo("model_not_found");
  }

  @Test
  void unknownPathsAndMethodsAnswerInOpenAiFormat() {
    TestProxy.Reply unknown = proxy.get("/v1/completions/legacy");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error").get("message").asText()).contains("/v1/completions/legacy");
    TestProxy.Reply wrongMethod = proxy.get("/v1/chat/completions");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.json().get("error").get("code").asText()).isEqualTo("method_not_allowed");
  }
}
