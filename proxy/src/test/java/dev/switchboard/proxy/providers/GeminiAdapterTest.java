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

/** The gemini adapter against a fake Generative Language API speaking the documented wire format. */
class GeminiAdapterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String RESPONSE = """
      {"candidates":[{"content":{"parts":[{"text":"Bonjour!"}],"role":"model"},"finishReason":"STOP","index":0}],
       "usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":3,"thoughtsTokenCount":4,"totalTokenCount":16},
       "modelVersion":"gemini-2.5-flash","responseId":"resp-gem-1"}""";
  static final String CALLS = """
      {"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}},
        {"functionCall":{"name":"get_time","args":{"zone":"CET"}}}],"role":"model"},"finishReason":"STOP","index":0}],
       "usageMetadata":{"promptTokenCount":20,"candidatesTokenCount":10,"totalTokenCount":30},"modelVersion":"gemini-2.5-flash"}""";
  // Gemini frames its server-sent events with CRLF.
  static final String STREAM = ("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hel\"}],\"role\": \"model\"},\"index\": 0}],"
      + "\"usageMetadata\": {\"promptTokenCount\": 7,\"totalTokenCount\": 7},\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"r1\"}\r\n\r\n"
      + "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"lo there\"}],\"role\": \"model\"},\"index\": 0}],"
      + "\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"r1\"}\r\n\r\n"
      + "data: {\"candidates\": [{\"content\": {\"parts\": [{\"functionCall\": {\"name\": \"get_weather\",\"args\": {\"city\": \"Lyon\"}}}],"
      + "\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 7,"
      + "\"candidatesTokenCount\": 12,\"totalTokenCount\": 19},\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"r1\"}\r\n\r\n");

  private FakeUpstream upstream;
  private TestProxy proxy;

  @BeforeEach
  void start() {
    upstream = FakeUpstream.start();
    proxy = TestProxy.start();
    proxy.serve("""
        apiVersion: v1
        kind: Secret
        metadata: {name: gemini}
        stringData: {key: AIzaTestKeyForTheFakeGeminiServer123}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: gemini}
        spec:
          provider: gemini
          url: %s
          credentials: {secretRef: {name: gemini, key: key}}
          models: [{name: gemini-2.5-flash}, {name: text-embedding-004, type: embedding}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: gemini}
        spec:
          model: gemini
          targets: [{backendRef: {name: gemini}, model: gemini-2.5-flash}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: vectors}
        spec:
          model: vectors
          targets: [{backendRef: {name: gemini}, model: text-embedding-004}]
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
        {"model":"gemini","messages":[
          {"role":"system","content":"Answer in French."},
          {"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}}]},
          {"role":"assistant","content":"Let me check.","tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\\"q\\":\\"cat\\"}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":"{\\"result\\":\\"a cat\\"}"},
          {"role":"tool","tool_call_id":"call_1","content":"plain text result"}],
         "temperature":0.3,"top_p":0.8,"max_tokens":256,"stop":["END"],"seed":42,
         "response_format":{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object"}}},
         "reasoning_effort":"low",
         "tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object","properties":{"q":{"type":"string"}}}}}],
         "tool_choice":{"type":"function","function":{"name":"lookup"}}}""");
    FakeUpstream.Received sent = upstream.last();
    assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(sent.header("x-goog-api-key")).isEqualTo("AIzaTestKeyForTheFakeGeminiServer123");
    assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree("""
        {"contents":[
          {"role":"user","parts":[{"text":"What is this?"},{"inlineData":{"mimeType":"image/jpeg","data":"/9j/4AAQ"}}]},
          {"role":"model","parts":[{"text":"Let me check."},{"functionCall":{"name":"lookup","args":{"q":"cat"}},"thoughtSignature":"skip_thought_signature_validator"}]},
          {"role":"user","parts":[{"functionResponse":{"name":"lookup","response":{"result":"a cat"}}},
                                  {"functionResponse":{"name":"lookup","response":{"content":"plain text result"}}}]}],
         "systemInstruction":{"parts":[{"text":"Answer in French."}]},
         "generationConfig":{"temperature":0.3,"topP":0.8,"seed":42,"maxOutputTokens":256,"stopSequences":["END"],
           "responseMimeType":"application/json","responseJsonSchema":{"type":"object"},"thinkingConfig":{"thinkingBudget":1024,"includeThoughts":true}},
         "tools":[{"functionDeclarations":[{"name":"lookup","parametersJsonSchema":{"type":"object","properties":{"q":{"type":"string"}}}}]}],
         "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["lookup"]}}}"""));
  }

  @Test
  void translatesAnswersToolCallsAndUsage() throws Exception {
    upstream.then(json(200, RESPONSE), json(200, CALLS));
    JsonNode r = proxy.chat("{\"model\":\"gemini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").json();
    assertThat(r.at("/choices/0/message/content").asText()).isEqualTo("Bonjour!");
    assertThat(r.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(r.at("/usage/prompt_tokens").asInt()).isEqualTo(9);
    assertThat(r.at("/usage/completion_tokens").asInt()).as("thinking tokens count as completion").isEqualTo(7);
    assertThat(r.at("/usage/completion_tokens_details/reasoning_tokens").asInt()).isEqualTo(4);
    JsonNode calls = proxy.chat("{\"model\":\"gemini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").json();
    assertThat(calls.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(calls.at("/choices/0/message/content").isNull()).isTrue();
    assertThat(calls.at("/choices/0/message/tool_calls")).hasSize(2);
    assertThat(calls.at("/choices/0/message/tool_calls/0/id").asText()).startsWith("call_");
    assertThat(JSON.readTree(calls.at("/choices/0/message/tool_calls/1/function/arguments").asText()))
        .isEqualTo(JSON.readTree("{\"zone\":\"CET\"}"));
  }

  @Test
  void translatesAStreamSplitAtAwkwardPlaces() throws Exception {
    for (int piece : new int[] {1, 13, 100_000}) {
      upstream.then(split("text/event-stream", STREAM, piece));
      TestProxy.Streamed s = proxy.stream("{\"model\":\"gemini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
      assertThat(upstream.last().path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
      assertThat(upstream.last().query()).isEqualTo("alt=sse");
      ChunkAssembly a = ChunkAssembly.of(s.data());
      assertThat(a.content.toString()).as("piece " + piece).isEqualTo("Hello there");
      assertThat(a.toolCalls()).singleElement().extracting(ChunkAssembly.ToolCall::name).isEqualTo("get_weather");
      assertThat(a.arguments(0)).isEqualTo(JSON.readTree("{\"city\":\"Lyon\"}"));
      assertThat(a.finishReasons).containsExactly("tool_calls");
      assertThat(a.usage.get("completion_tokens").asInt()).isEqualTo(12);
      assertThat(a.done).isTrue();
    }
  }

  @Test
  void safetyBlocksAreAClearErrorOrContentFilter() {
    upstream.then(json(200, "{\"promptFeedback\":{\"blockReason\":\"SAFETY\",\"safetyRatings\":[]},"
        + "\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8}}"));
    TestProxy.Reply blocked = proxy.chat("{\"model\":\"gemini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(blocked.status()).isEqualTo(400);
    assertThat(blocked.json().at("/error/code").asText()).isEqualTo("content_filter");
    assertThat(blocked.json().at("/error/message").asText()).contains("blocked the prompt (SAFETY)");

    upstream.then(json(200, "{\"candidates\":[{\"finishReason\":\"SAFETY\",\"index\":0,\"safetyRatings\":[]}],"
        + "\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8}}"));
    TestProxy.Reply filtered = proxy.chat("{\"model\":\"gemini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(filtered.json().at("/choices/0/finish_reason").asText()).isEqualTo("content_filter");
    upstream.then(json(200, RESPONSE.replace("STOP", "MAX_TOKENS")));
    assertThat(proxy.chat("{\"model\":\"gemini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").json()
        .at("/choices/0/finish_reason").asText()).isEqualTo("length");
  }

  @Test
  void mapsGeminiErrors() {
    upstream.then(json(429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\",\"status\":\"RESOURCE_EXHAUSTED\"}}"));
    TestProxy.Reply limited = proxy.chat("{\"model\":\"gemini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.json().at("/error/message").asText()).contains("Resource has been exhausted", "default/gemini");
    upstream.then(json(400, "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key.\",\"status\":\"INVALID_ARGUMENT\"}}"));
    TestProxy.Reply bad = proxy.chat("{\"model\":\"gemini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).doesNotContain("AIzaTestKey");
  }

  @Test
  void remoteImagesAndUnknownToolResultsAreRefusedClearly() {
    TestProxy.Reply image = proxy.chat("{\"model\":\"gemini\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
        + "\"image_url\":{\"url\":\"https://example.com/x.png\"}}]}]}");
    assertThat(image.status()).isEqualTo(400);
    assertThat(image.json().at("/error/param").asText()).isEqualTo("messages[0].content[0].image_url");
    TestProxy.Reply orphan = proxy.chat("{\"model\":\"gemini\",\"messages\":[{\"role\":\"tool\",\"tool_call_id\":\"nope\",\"content\":\"x\"}]}");
    assertThat(orphan.status()).isEqualTo(400);
    assertThat(orphan.json().at("/error/message").asText()).contains("no earlier tool call has id 'nope'");
    assertThat(upstream.hits()).isZero();
  }

  @Test
  void embedsOneOrManyTextsAsFloatsOrBase64() throws Exception {
    upstream.then(json(200, "{\"embedding\":{\"values\":[0.5,-0.25,1.0]}}"),
        json(200, "{\"embeddings\":[{\"values\":[1.0,0.0]},{\"values\":[0.0,1.0]}]}"));
    JsonNode one = proxy.send("POST", proxy.url() + "/v1/embeddings", "{\"model\":\"vectors\",\"input\":\"hello\",\"dimensions\":3}").json();
    assertThat(upstream.last().path()).isEqualTo("/v1beta/models/text-embedding-004:embedContent");
    assertThat(JSON.readTree(upstream.last().body())).isEqualTo(JSON.readTree(
        "{\"content\":{\"parts\":[{\"text\":\"hello\"}]},\"outputDimensionality\":3}"));
    assertThat(one.at("/data/0/embedding").toString()).isEqualTo("[0.5,-0.25,1.0]");
    assertThat(one.get("object").asText()).isEqualTo("list");

    JsonNode many = proxy.send("POST", proxy.url() + "/v1/embeddings",
        "{\"model\":\"vectors\",\"input\":[\"a\",\"b\"],\"encoding_format\":\"base64\"}").json();
    assertThat(upstream.last().path()).isEqualTo("/v1beta/models/text-embedding-004:batchEmbedContents");
    assertThat(many.get("data")).hasSize(2);
    byte[] first = java.util.Base64.getDecoder().decode(many.at("/data/0/embedding").asText());
    java.nio.ByteBuffer floats = java.nio.ByteBuffer.wrap(first).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertThat(floats.getFloat()).isEqualTo(1.0f);
    assertThat(floats.getFloat()).isEqualTo(0.0f);
  }

  @Test
  void discoversModelsWithoutTheirPrefix() {
    upstream.then(json(200, "{\"models\":[{\"name\":\"models/gemini-2.5-flash\"},{\"name\":\"models/text-embedding-004\"}]}"));
    var result = proxy.context().prober().probeNow(proxy.context().holder().current().orElseThrow().backends().values());
    assertThat(result.get("default/gemini").models()).containsExactly("gemini-2.5-flash", "text-embedding-004");
    assertThat(upstream.last().path()).isEqualTo("/v1beta/models");
  }
}
