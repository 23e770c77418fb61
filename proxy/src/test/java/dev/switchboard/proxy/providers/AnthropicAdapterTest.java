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

/** The anthropic adapter against a fake Messages API speaking the documented wire format. */
class AnthropicAdapterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String MESSAGE = """
      {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
       "content":[{"type":"text","text":"Hello! How can I help?"}],"stop_reason":"end_turn","stop_sequence":null,
       "usage":{"input_tokens":12,"cache_creation_input_tokens":3,"cache_read_input_tokens":5,"output_tokens":6}}""";
  static final String TOOL_MESSAGE = """
      {"id":"msg_02","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[
       {"type":"text","text":"Checking both."},
       {"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{"location":"Paris","unit":"celsius"}},
       {"type":"tool_use","id":"toolu_01B","name":"get_time","input":{"zone":"Europe/Paris"}}],
       "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":40,"output_tokens":30}}""";
  static final String STREAM = """
      event: message_start
      data: {"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-sonnet-4-5","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}}

      event: content_block_start
      data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

      event: ping
      data: {"type": "ping"}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay, let me "}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"check."}}

      event: content_block_stop
      data: {"type":"content_block_stop","index":0}

      event: content_block_start
      data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"location\\":"}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \\"San Francisco, CA\\"}"}}

      event: content_block_stop
      data: {"type":"content_block_stop","index":1}

      event: content_block_start
      data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_02","name":"get_time","input":{}}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"zone\\": \\"PST\\"}"}}

      event: content_block_stop
      data: {"type":"content_block_stop","index":2}

      event: message_delta
      data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}

      event: message_stop
      data: {"type":"message_stop"}

      """;

  private FakeUpstream upstream;
  private TestProxy proxy;

  @BeforeEach
  void start() {
    upstream = FakeUpstream.start();
    proxy = TestProxy.start();
    proxy.serve(manifests(upstream.url(), false));
  }

  static String manifests(String url, boolean drop) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: anthropic}
        stringData: {key: sk-ant-test-key}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: claude}
        spec:
          provider: anthropic
          url: %s
          credentials: {secretRef: {name: anthropic, key: key}}
          models: [{name: sonnet, upstreamName: claude-sonnet-4-5, maxOutputTokens: 2048}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: claude}
        spec:
          model: claude
          dropUnsupportedParameters: %s
          targets: [{backendRef: {name: claude}, model: sonnet}]
          retry: {attempts: 2, backoff: {base: 1ms, max: 5ms}}
        """.formatted(url, drop);
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
  }

  @Test
  void translatesTheRequest() throws Exception {
    upstream.then(json(200, MESSAGE));
    proxy.chat("""
        {"model":"claude","messages":[
          {"role":"system","content":"Be brief."},
          {"role":"developer","content":"Use metric units."},
          {"role":"user","content":"Weather?"},
          {"role":"user","content":[{"type":"text","text":"Here is a photo"},
            {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
            {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]},
          {"role":"assistant","content":null,"tool_calls":[
            {"id":"toolu_9","type":"function","function":{"name":"get_weather","arguments":"{\\"location\\":\\"Paris\\"}"}}]},
          {"role":"tool","tool_call_id":"toolu_9","content":"18C and sunny"},
          {"role":"user","content":"Thanks"}],
         "temperature":0.5,"top_p":0.9,"stop":"END","user":"u-42","parallel_tool_calls":false,
         "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}],
         "tool_choice":"required"}""");
    FakeUpstream.Received sent = upstream.last();
    assertThat(sent.path()).isEqualTo("/v1/messages");
    assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-test-key");
    assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(sent.header("authorization")).isEmpty();
    assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree("""
        {"model":"claude-sonnet-4-5",
         "messages":[
          {"role":"user","content":[{"type":"text","text":"Weather?"},{"type":"text","text":"Here is a photo"},
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
            {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]},
          {"role":"assistant","content":[{"type":"tool_use","id":"toolu_9","name":"get_weather","input":{"location":"Paris"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_9","content":"18C and sunny"},{"type":"text","text":"Thanks"}]}],
         "system":"Be brief.\\n\\nUse metric units.",
         "temperature":0.5,"top_p":0.9,"stop_sequences":["END"],
         "tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"location":{"type":"string"}}}}],
         "tool_choice":{"type":"any","disable_parallel_tool_use":true},
         "metadata":{"user_id":"u-42"},
         "max_tokens":2048}"""));
  }

  @Test
  void translatesAWholeAnswerWithUsage() {
    upstream.then(json(200, MESSAGE));
    TestProxy.Reply reply = proxy.chat("{\"model\":\"claude\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertThat(reply.status()).isEqualTo(200);
    JsonNode r = reply.json();
    assertThat(r.get("object").asText()).isEqualTo("chat.completion");
    assertThat(r.at("/choices/0/message/content").asText()).isEqualTo("Hello! How can I help?");
    assertThat(r.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(r.at("/usage/prompt_tokens").asInt()).as("input plus cache reads and writes").isEqualTo(20);
    assertThat(r.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(5);
    assertThat(r.at("/usage/completion_tokens").asInt()).isEqualTo(6);
    assertThat(r.at("/usage/total_tokens").asInt()).isEqualTo(26);
    assertThat(upstream.last().body()).contains("\"max_tokens\":100");
  }

  @Test
  void translatesParallelToolCalls() throws Exception {
    upstream.then(json(200, TOOL_MESSAGE));
    JsonNode r = proxy.chat("{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":\"Paris?\"}]}").json();
    assertThat(r.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(r.at("/choices/0/message/content").asText()).isEqualTo("Checking both.");
    JsonNode calls = r.at("/choices/0/message/tool_calls");
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).get("id").asText()).isEqualTo("toolu_01A");
    assertThat(calls.get(0).get("type").asText()).isEqualTo("function");
    assertThat(JSON.readTree(calls.get(0).at("/function/arguments").asText())).isEqualTo(JSON.readTree("{\"location\":\"Paris\",\"unit\":\"celsius\"}"));
    assertThat(calls.get(1).at("/function/name").asText()).isEqualTo("get_time");
  }

  @Test
  void translatesAStreamSplitAtAwkwardPlaces() throws Exception {
    for (int piece : new int[] {1, 7, 64, 100_000}) {
      upstream.then(split("text/event-stream", STREAM, piece));
      TestProxy.Streamed s = proxy.stream("{\"model\":\"claude\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}]}");
      ChunkAssembly a = ChunkAssembly.of(s.data());
      assertThat(a.content.toString()).as("piece " + piece).isEqualTo("Okay, let me check.");
      assertThat(a.toolCalls()).extracting(ChunkAssembly.ToolCall::id).containsExactly("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "toolu_02");
      assertThat(a.toolCalls()).extracting(ChunkAssembly.ToolCall::name).containsExactly("get_weather", "get_time");
      assertThat(a.arguments(0)).isEqualTo(JSON.readTree("{\"location\":\"San Francisco, CA\"}"));
      assertThat(a.arguments(1)).isEqualTo(JSON.readTree("{\"zone\":\"PST\"}"));
      assertThat(a.finishReasons).containsExactly("tool_calls");
      assertThat(a.usage.get("prompt_tokens").asInt()).isEqualTo(472);
      assertThat(a.usage.get("completion_tokens").asInt()).isEqualTo(89);
      assertThat(a.done).isTrue();
      assertThat(upstream.last().body()).contains("\"stream\":true");
    }
  }

  @Test
  void mapsEveryStopReason() {
    for (String[] pair : new String[][] {{"end_turn", "stop"}, {"stop_sequence", "stop"}, {"max_tokens", "length"},
        {"tool_use", "tool_calls"}, {"refusal", "content_filter"}}) {
      upstream.then(json(200, MESSAGE.replace("end_turn", pair[0])));
      assertThat(proxy.chat("{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").json()
          .at("/choices/0/finish_reason").asText()).as(pair[0]).isEqualTo(pair[1]);
    }
  }

  @Test
  void overloadedIsRetriedAndOtherErrorsKeepTheirMeaning() {
    upstream.then(json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"),
        json(200, MESSAGE));
    TestProxy.Reply retried = proxy.chat("{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.header("x-switchboard-attempts")).isEqualTo("2");

    upstream.then(json(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"messages: text content blocks must be non-empty\"}}"));
    TestProxy.Reply bad = proxy.chat("{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().at("/error/message").asText()).contains("text content blocks must be non-empty", "default/claude");
    assertThat(bad.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void anErrorEventEndsTheStreamWithAnOpenAiError() {
    upstream.then(split("text/event-stream", STREAM.substring(0, STREAM.indexOf("event: content_block_stop"))
        + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n", 50));
    TestProxy.Streamed s = proxy.stream("{\"model\":\"claude\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    ChunkAssembly a = ChunkAssembly.of(s.data());
    assertThat(a.content.toString()).isEqualTo("Okay, let me check.");
    assertThat(a.done).isFalse();
    assertThat(a.error.get("message").asText()).contains("Overloaded", "default/claude");
  }

  @Test
  void refusesOrDropsWhatAnthropicCannotExpress() {
    TestProxy.Reply refused = proxy.chat("{\"model\":\"claude\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().at("/error/param").asText()).isEqualTo("n");
    assertThat(refused.json().at("/error/message").asText()).contains("'n' = 2", "provider anthropic", "dropUnsupportedParameters");
    assertThat(upstream.hits()).isZero();

    proxy.serve(manifests(upstream.url(), true));
    upstream.then(json(200, MESSAGE));
    TestProxy.Reply dropped = proxy.chat("{\"model\":\"claude\",\"n\":2,\"logprobs\":true,\"seed\":7,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(dropped.status()).isEqualTo(200);
    assertThat(upstream.last().body()).doesNotContain("\"n\"", "logprobs", "seed");
  }

  @Test
  void reasoningEffortBecomesAThinkingBudget() throws Exception {
    upstream.then(json(200, MESSAGE));
    proxy.chat("{\"model\":\"claude\",\"reasoning_effort\":\"medium\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    JsonNode sent = JSON.readTree(upstream.last().body());
    assertThat(sent.at("/thinking/budget_tokens").asInt()).isEqualTo(4096);
    assertThat(sent.get("max_tokens").asInt()).as("room for the answer after thinking").isEqualTo(5120);
  }

  @Test
  void discoversModels() {
    upstream.then(json(200, "{\"data\":[{\"type\":\"model\",\"id\":\"claude-sonnet-4-5\",\"display_name\":\"Claude Sonnet 4.5\"},"
        + "{\"type\":\"model\",\"id\":\"claude-haiku-4-5\"}],\"has_more\":false}"));
    var result = proxy.context().prober().probeNow(proxy.context().holder().current().orElseThrow().backends().values());
    assertThat(result.get("default/claude").models()).containsExactly("claude-sonnet-4-5", "claude-haiku-4-5");
    assertThat(upstream.last().path()).isEqualTo("/v1/models");
    assertThat(upstream.last().header("x-api-key")).isEqualTo("sk-ant-test-key");
  }
}
