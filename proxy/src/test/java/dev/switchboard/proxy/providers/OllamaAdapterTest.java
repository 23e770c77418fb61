package dev.switchboard.proxy.providers;

import static dev.switchboard.proxy.testing.FakeUpstream.hang;
import static dev.switchboard.proxy.testing.FakeUpstream.json;
import static dev.switchboard.proxy.testing.FakeUpstream.split;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.testing.ChunkAssembly;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.TestProxy;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ollama adapter against a fake Ollama speaking its native API. */
class OllamaAdapterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String RESPONSE = """
      {"model":"llama3.2","created_at":"2023-12-12T14:13:43.416799Z","message":{"role":"assistant","content":"Hello! How are you today?"},
       "done":true,"done_reason":"stop","total_duration":5191566416,"load_duration":2154458,"prompt_eval_count":26,
       "prompt_eval_duration":383809000,"eval_count":298,"eval_duration":4799921000}""";
  static final String STREAM = """
      {"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":"The"},"done":false}
      {"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":" sky"},"done":false}
      {"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Toronto"}}},{"function":{"name":"get_time","arguments":{"zone":"EST"}}}]},"done":false}
      {"model":"llama3.2","created_at":"2023-08-04T19:22:45.499127Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":4883583458,"load_duration":1334875,"prompt_eval_count":26,"prompt_eval_duration":342546000,"eval_count":282,"eval_duration":4535599000}
      """;

  private FakeUpstream upstream;
  private TestProxy proxy;

  @BeforeEach
  void start() {
    upstream = FakeUpstream.start();
    proxy = TestProxy.start();
    proxy.serve("""
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: ollama}
        spec:
          provider: ollama
          url: %s
          models: [{name: llama3.2}, {name: nomic-embed-text, type: embedding}]
          timeouts: {request: 300ms, streamIdle: 3s}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: llama}
        spec: {model: llama, targets: [{backendRef: {name: ollama}, model: llama3.2}], retry: {attempts: 1}}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: embed}
        spec: {model: embed, targets: [{backendRef: {name: ollama}, model: nomic-embed-text}]}
        """.formatted(upstream.url()));
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
  }

  @Test
  void translatesTheRequest() throws Exception {
    upstream.then(json(200, RESPONSE));
    proxy.chat("""
        {"model":"llama","messages":[
          {"role":"system","content":"Be kind."},
          {"role":"user","content":[{"type":"text","text":"What is in this picture?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
          {"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"zoom","arguments":"{\\"factor\\":2}"}}]},
          {"role":"tool","tool_call_id":"c1","content":"zoomed"}],
         "temperature":0.7,"top_p":0.95,"max_tokens":128,"stop":"###","seed":3,"response_format":{"type":"json_object"},
         "tools":[{"type":"function","function":{"name":"zoom","parameters":{"type":"object"}}}],"keep_alive":"10m"}""");
    FakeUpstream.Received sent = upstream.last();
    assertThat(sent.path()).isEqualTo("/api/chat");
    assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree("""
        {"model":"llama3.2","messages":[
          {"role":"system","content":"Be kind."},
          {"role":"user","content":"What is in this picture?","images":["iVBORw0KGgo="]},
          {"role":"assistant","content":"","tool_calls":[{"function":{"name":"zoom","arguments":{"factor":2}}}]},
          {"role":"tool","content":"zoomed","tool_name":"zoom"}],
         "stream":false,
         "options":{"temperature":0.7,"top_p":0.95,"seed":3,"num_predict":128,"stop":["###"]},
         "format":"json",
         "tools":[{"type":"function","function":{"name":"zoom","parameters":{"type":"object"}}}],
         "keep_alive":"10m"}"""));
  }

  @Test
  void translatesAnswersAndCounts() {
    upstream.then(json(200, RESPONSE), json(200, RESPONSE.replace("\"stop\"", "\"length\"")));
    JsonNode r = proxy.chat("{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").json();
    assertThat(r.at("/choices/0/message/content").asText()).isEqualTo("Hello! How are you today?");
    assertThat(r.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(r.at("/usage/prompt_tokens").asInt()).isEqualTo(26);
    assertThat(r.at("/usage/completion_tokens").asInt()).isEqualTo(298);
    assertThat(proxy.chat("{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").json()
        .at("/choices/0/finish_reason").asText()).isEqualTo("length");
  }

  @Test
  void translatesTheNdjsonStreamSplitAtAwkwardPlaces() throws Exception {
    for (int piece : new int[] {1, 9, 100_000}) {
      upstream.then(split("application/x-ndjson", STREAM, piece));
      TestProxy.Streamed s = proxy.stream("{\"model\":\"llama\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"sky?\"}]}");
      assertThat(s.header("content-type")).startsWith("text/event-stream");
      ChunkAssembly a = ChunkAssembly.of(s.data());
      assertThat(a.content.toString()).as("piece " + piece).isEqualTo("The sky");
      assertThat(a.toolCalls()).hasSize(2);
      assertThat(a.toolCalls().get(0).id()).startsWith("call_");
      assertThat(a.arguments(1)).isEqualTo(JSON.readTree("{\"zone\":\"EST\"}"));
      assertThat(a.finishReasons).containsExactly("tool_calls");
      assertThat(a.usage.get("completion_tokens").asInt()).isEqualTo(282);
      assertThat(a.done).isTrue();
      assertThat(upstream.last().body()).contains("\"stream\":true");
    }
  }

  @Test
  void aColdModelLoadWaitsOnTheStreamIdleTimeoutNotTheRequestTimeout() {
    // The request timeout is 300 ms, the stream-idle timeout 3 s; the model takes 1 s to load.
    upstream.then(hang(Duration.ofSeconds(1), split("application/x-ndjson", STREAM, 100_000)));
    TestProxy.Streamed s = proxy.stream("{\"model\":\"llama\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(ChunkAssembly.of(s.data()).content.toString()).isEqualTo("The sky");
    upstream.then(hang(Duration.ofSeconds(1), json(200, RESPONSE)));
    TestProxy.Reply whole = proxy.chat("{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(whole.status()).as("a non-streamed answer is bounded by the request timeout").isEqualTo(504);
  }

  @Test
  void mapsOllamaErrors() {
    upstream.then(json(404, "{\"error\":\"model 'llama3.2' not found, try pulling it first\"}"));
    TestProxy.Reply missing = proxy.chat("{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().at("/error/message").asText()).contains("try pulling it first", "default/ollama");
    upstream.then(split("application/x-ndjson", STREAM.lines().findFirst().orElseThrow() + "\n{\"error\":\"out of memory\"}\n", 50));
    ChunkAssembly a = ChunkAssembly.of(proxy.stream("{\"model\":\"llama\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").data());
    assertThat(a.content.toString()).isEqualTo("The");
    assertThat(a.error.get("message").asText()).contains("out of memory");
    assertThat(a.done).isFalse();
  }

  @Test
  void embedsThroughApiEmbed() throws Exception {
    upstream.then(json(200, "{\"model\":\"nomic-embed-text\",\"embeddings\":[[0.1,0.2],[0.3,0.4]],\"prompt_eval_count\":8}"));
    JsonNode r = proxy.send("POST", proxy.url() + "/v1/embeddings", "{\"model\":\"embed\",\"input\":[\"a\",\"b\"]}").json();
    assertThat(upstream.last().path()).isEqualTo("/api/embed");
    assertThat(JSON.readTree(upstream.last().body())).isEqualTo(JSON.readTree("{\"model\":\"nomic-embed-text\",\"input\":[\"a\",\"b\"]}"));
    assertThat(r.at("/data/1/embedding").toString()).isEqualTo("[0.3,0.4]");
    assertThat(r.at("/data/1/index").asInt()).isEqualTo(1);
    assertThat(r.at("/usage/prompt_tokens").asInt()).isEqualTo(8);
    TestProxy.Reply tokens = proxy.send("POST", proxy.url() + "/v1/embeddings", "{\"model\":\"embed\",\"input\":[1,2,3]}");
    assertThat(tokens.status()).isEqualTo(400);
    assertThat(tokens.json().at("/error/message").asText()).contains("Token-id inputs", "ollama");
  }

  @Test
  void discoversPulledModels() {
    upstream.then(json(200, "{\"models\":[{\"name\":\"llama3.2:latest\",\"model\":\"llama3.2:latest\",\"size\":2019393189},"
        + "{\"name\":\"nomic-embed-text:latest\"}]}"));
    var result = proxy.context().prober().probeNow(proxy.context().holder().current().orElseThrow().backends().values());
    assertThat(result.get("default/ollama").models()).containsExactly("llama3.2:latest", "nomic-embed-text:latest");
    assertThat(upstream.last().path()).isEqualTo("/api/tags");
  }
}
