package dev.switchboard.proxy.providers;

import static dev.switchboard.proxy.testing.FakeUpstream.json;
import static dev.switchboard.proxy.testing.FakeUpstream.split;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.testing.ChunkAssembly;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.TestProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** azure-openai with api: responses against a fake Azure Responses API. */
class AzureResponsesAdapterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String RESPONSE = """
      {"id":"resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b","object":"response","created_at":1741408624,
       "status":"completed","model":"gpt-5","output":[
        {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Thinking briefly."}]},
        {"type":"message","id":"msg_1","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hi there!","annotations":[]}]},
        {"type":"function_call","id":"fc_1","call_id":"call_abc","name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\"}","status":"completed"}],
       "usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":4},"output_tokens":87,
        "output_tokens_details":{"reasoning_tokens":64},"total_tokens":123}}""";
  static final String STREAM = """
      event: response.created
      data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","created_at":1741290958,"status":"in_progress","model":"gpt-5","output":[]}}

      event: response.in_progress
      data: {"type":"response.in_progress","sequence_number":1,"response":{"id":"resp_1","status":"in_progress"}}

      event: response.output_item.added
      data: {"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"msg_1","type":"message","status":"in_progress","role":"assistant","content":[]}}

      event: response.output_text.delta
      data: {"type":"response.output_text.delta","sequence_number":3,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Checking"}

      event: response.output_text.delta
      data: {"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1","output_index":0,"content_index":0,"delta":" now."}

      event: response.output_item.added
      data: {"type":"response.output_item.added","sequence_number":5,"output_index":1,"item":{"id":"fc_1","type":"function_call","status":"in_progress","call_id":"call_1","name":"get_weather","arguments":""}}

      event: response.function_call_arguments.delta
      data: {"type":"response.function_call_arguments.delta","sequence_number":6,"item_id":"fc_1","output_index":1,"delta":"{\\"city\\":"}

      event: response.function_call_arguments.delta
      data: {"type":"response.function_call_arguments.delta","sequence_number":7,"item_id":"fc_1","output_index":1,"delta":"\\"Oslo\\"}"}

      event: response.output_item.added
      data: {"type":"response.output_item.added","sequence_number":8,"output_index":2,"item":{"id":"fc_2","type":"function_call","call_id":"call_2","name":"get_time","arguments":""}}

      event: response.function_call_arguments.delta
      data: {"type":"response.function_call_arguments.delta","sequence_number":9,"item_id":"fc_2","output_index":2,"delta":"{}"}

      event: response.function_call_arguments.done
      data: {"type":"response.function_call_arguments.done","sequence_number":10,"item_id":"fc_2","output_index":2,"arguments":"{}"}

      event: response.completed
      data: {"type":"response.completed","sequence_number":11,"response":{"id":"resp_1","status":"completed","model":"gpt-5","usage":{"input_tokens":20,"input_tokens_details":{"cached_tokens":0},"output_tokens":40,"output_tokens_details":{"reasoning_tokens":25},"total_tokens":60}}}

      """;

  private FakeUpstream upstream;
  private TestProxy proxy;

  @BeforeEach
  void start() {
    upstream = FakeUpstream.start();
    proxy = TestProxy.start();
    proxy.serve(manifests("2025-04-01-preview"));
  }

  private String manifests(String version) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: azure}
        stringData: {key: azure-key-123}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: responses}
        spec:
          provider: azure-openai
          url: %s
          credentials: {secretRef: {name: azure, key: key}}
          azure: {apiVersion: "%s", api: responses, deployments: {gpt-5: gpt-5-global, embed: embed-small}}
          models: [{name: gpt-5}, {name: embed, type: embedding}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: gpt-5-high}
        spec:
          model: gpt-5-high
          targets: [{backendRef: {name: responses}, model: gpt-5, parameters: {reasoning_effort: high, verbosity: low}}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: gpt-5-low}
        spec:
          model: gpt-5-low
          targets: [{backendRef: {name: responses}, model: gpt-5, parameters: {reasoning_effort: low}}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: embed}
        spec: {model: embed, targets: [{backendRef: {name: responses}}]}
        """.formatted(upstream.url(), version);
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
  }

  @Test
  void oneDeploymentServesSeveralEffortsThroughTheResponsesApi() throws Exception {
    upstream.then(json(200, RESPONSE));
    proxy.chat("""
        {"model":"gpt-5-high","messages":[
          {"role":"developer","content":"Be exact."},
          {"role":"user","content":[{"type":"text","text":"Weather in Oslo?"},{"type":"image_url","image_url":{"url":"https://example.com/map.png"}}]},
          {"role":"assistant","content":"Let me look.","tool_calls":[{"id":"call_9","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},
          {"role":"tool","tool_call_id":"call_9","content":"-3C"}],
         "max_completion_tokens":500,"temperature":1,"response_format":{"type":"json_schema","json_schema":{"name":"w","schema":{"type":"object"},"strict":true}},
         "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],"tool_choice":"auto"}""");
    FakeUpstream.Received sent = upstream.last();
    assertThat(sent.path()).isEqualTo("/openai/responses");
    assertThat(sent.query()).isEqualTo("api-version=2025-04-01-preview");
    assertThat(sent.header("api-key")).isEqualTo("azure-key-123");
    assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree("""
        {"model":"gpt-5-global","input":[
          {"type":"message","role":"developer","content":[{"type":"input_text","text":"Be exact."}]},
          {"type":"message","role":"user","content":[{"type":"input_text","text":"Weather in Oslo?"},{"type":"input_image","image_url":"https://example.com/map.png"}]},
          {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Let me look."}]},
          {"type":"function_call","call_id":"call_9","name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\"}"},
          {"type":"function_call_output","call_id":"call_9","output":"-3C"}],
         "store":false,"max_output_tokens":500,"temperature":1,
         "reasoning":{"effort":"high","summary":"auto"},"include":["reasoning.encrypted_content"],
         "text":{"verbosity":"low","format":{"type":"json_schema","name":"w","schema":{"type":"object"},"strict":true}},
         "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}}],"tool_choice":"auto"}"""));

    upstream.then(json(200, RESPONSE));
    proxy.chat("{\"model\":\"gpt-5-low\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(JSON.readTree(upstream.last().body()).at("/reasoning/effort").asText()).isEqualTo("low");
  }

  @Test
  void translatesOutputItemsAndReasoningTokens() throws Exception {
    upstream.then(json(200, RESPONSE));
    JsonNode r = proxy.chat("{\"model\":\"gpt-5-high\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").json();
    assertThat(r.at("/choices/0/message/content").asText()).isEqualTo("Hi there!");
    assertThat(r.at("/choices/0/message/reasoning_content").asText()).isEqualTo("Thinking briefly.");
    assertThat(r.at("/choices/0/message/tool_calls/0/id").asText()).isEqualTo("call_abc");
    assertThat(r.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(r.at("/usage/completion_tokens_details/reasoning_tokens").asInt()).isEqualTo(64);
    assertThat(r.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(4);
    assertThat(r.at("/usage/total_tokens").asInt()).isEqualTo(123);

    upstream.then(json(200, "{\"id\":\"resp_2\",\"object\":\"response\",\"status\":\"incomplete\",\"model\":\"gpt-5\","
        + "\"incomplete_details\":{\"reason\":\"max_output_tokens\"},\"output\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":9}}"));
    assertThat(proxy.chat("{\"model\":\"gpt-5-high\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").json()
        .at("/choices/0/finish_reason").asText()).isEqualTo("length");
  }

  @Test
  void translatesResponseEventsSplitAtAwkwardPlaces() throws Exception {
    for (int piece : new int[] {1, 17, 100_000}) {
      upstream.then(split("text/event-stream", STREAM, piece));
      TestProxy.Streamed s = proxy.stream("{\"model\":\"gpt-5-high\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
      ChunkAssembly a = ChunkAssembly.of(s.data());
      assertThat(a.content.toString()).as("piece " + piece).isEqualTo("Checking now.");
      assertThat(a.toolCalls()).extracting(ChunkAssembly.ToolCall::id).containsExactly("call_1", "call_2");
      assertThat(a.arguments(0)).isEqualTo(JSON.readTree("{\"city\":\"Oslo\"}"));
      assertThat(a.toolCalls().get(1).arguments()).isEqualTo("{}");
      assertThat(a.finishReasons).containsExactly("tool_calls");
      assertThat(a.usage.at("/completion_tokens_details/reasoning_tokens").asInt()).isEqualTo(25);
      assertThat(a.done).isTrue();
    }
  }

  @Test
  void aFailedResponseIsAnErrorAndTheV1PathIsUsedForV1() {
    upstream.then(split("text/event-stream", STREAM.substring(0, STREAM.indexOf("event: response.output_item.added"))
        + "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"id\":\"resp_1\",\"status\":\"failed\","
        + "\"error\":{\"code\":\"server_error\",\"message\":\"The model failed.\"}}}\n\n", 100_000));
    ChunkAssembly a = ChunkAssembly.of(proxy.stream("{\"model\":\"gpt-5-high\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").data());
    assertThat(a.error.get("message").asText()).contains("The model failed.");
    assertThat(a.done).isFalse();

    proxy.serve(manifests("v1"));
    upstream.then(json(200, RESPONSE));
    proxy.chat("{\"model\":\"gpt-5-high\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(upstream.last().path()).isEqualTo("/openai/v1/responses");
    assertThat(upstream.last().query()).isEmpty();
  }

  @Test
  void refusesStopSequencesWhichTheResponsesApiLacks() {
    TestProxy.Reply refused = proxy.chat("{\"model\":\"gpt-5-high\",\"stop\":[\"x\"],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().at("/error/param").asText()).isEqualTo("stop");
    assertThat(refused.json().at("/error/message").asText()).contains("no stop sequences");
  }

  @Test
  void embedsThroughTheDeploymentUrl() {
    upstream.then(json(200, "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":\"AAAAAA==\"}],"
        + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":2,\"total_tokens\":2}}"));
    TestProxy.Reply r = proxy.send("POST", proxy.url() + "/v1/embeddings",
        "{\"model\":\"embed\",\"input\":\"hi\",\"encoding_format\":\"base64\",\"future_field\":1}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(upstream.last().path()).isEqualTo("/openai/deployments/embed-small/embeddings");
    assertThat(upstream.last().query()).isEqualTo("api-version=2025-04-01-preview");
    assertThat(upstream.last().body()).isEqualTo("{\"model\":\"embed-small\",\"input\":\"hi\",\"encoding_format\":\"base64\",\"future_field\":1}");
    assertThat(r.json().at("/data/0/embedding").asText()).isEqualTo("AAAAAA==");
  }
}
