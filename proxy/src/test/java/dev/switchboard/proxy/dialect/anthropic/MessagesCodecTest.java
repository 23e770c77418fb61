package dev.switchboard.proxy.dialect.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.error.ApiError;
import dev.switchboard.proxy.exchange.TokenEstimate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Anthropic codec as pure functions: requests into the canonical shape, canonical answers and streams back, errors. */
class MessagesCodecTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static MessagesRequest decode(String body) throws Exception {
    return MessagesRequestDecoder.decode(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aClaudeCodeShapedRequestDecodesIntoTheCanonicalShape() throws Exception {
    MessagesRequest r = decode("""
        {"model":"coder","max_tokens":32000,"stream":true,
         "system":[{"type":"text","text":"billing"},{"type":"text","text":"You are an agent.","cache_control":{"type":"ephemeral"}}],
         "messages":[
           {"role":"user","content":[{"type":"text","text":"write it"}]},
           {"role":"system","content":"# Environment"},
           {"role":"assistant","content":[{"type":"thinking","thinking":"","signature":"EqQBCkYIBxgCKkB"},
             {"type":"tool_use","id":"toolu_1","name":"Write","input":{"file_path":"a.txt"}}]},
           {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"denied","is_error":true,
             "cache_control":{"type":"ephemeral"}}]}],
         "tools":[{"name":"Write","input_schema":{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
             "additionalProperties":false}},{"name":"Later","input_schema":{"type":"object"},"defer_loading":true},
           {"type":"web_search_20250305","name":"web_search"}],
         "tool_choice":{"type":"any","disable_parallel_tool_use":true},
         "metadata":{"user_id":"{\\"device_id\\":\\"abc\\"}"},
         "thinking":{"type":"adaptive","display":"omitted"},"output_config":{"effort":"high"},
         "context_management":{"edits":[]},"top_k":3}""");
    JsonNode c = r.canonical().tree();

    assertThat(r.passThrough()).isTrue();
    assertThat(r.refusal()).isEmpty();
    assertThat(c.path("messages").get(0).path("role").asText()).isEqualTo("system");
    assertThat(c.path("messages").get(0).path("content").asText()).isEqualTo("billing\n\nYou are an agent.");
    assertThat(c.path("messages").get(2).path("content").asText()).isEqualTo("# Environment");
    JsonNode assistant = c.path("messages").get(3);
    assertThat(assistant.path("content").isNull()).isTrue();
    assertThat(assistant.has("reasoning_details")).as("Anthropic's own signature is not canonical continuity").isFalse();
    assertThat(assistant.path("tool_calls").get(0).path("function").path("arguments").asText()).isEqualTo("{\"file_path\":\"a.txt\"}");
    assertThat(c.path("messages").get(4).path("role").asText()).isEqualTo("tool");
    assertThat(c.path("messages").get(4).path("content").asText()).isEqualTo("Error: denied");
    assertThat(c.path("tools")).hasSize(2);
    assertThat(c.path("tool_choice").asText()).isEqualTo("required");
    assertThat(c.path("parallel_tool_calls").asBoolean(true)).isFalse();
    assertThat(c.path("user").asText()).isEqualTo("{\"device_id\":\"abc\"}");
    assertThat(c.has("reasoning_effort")).isFalse();
    assertThat(c.path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(r.dropped()).containsExactlyInAnyOrder("cache_control", "defer_loading", "tool web_search (web_search_20250305)",
        "top_k", "output_config", "thinking.adaptive", "context_management");
  }

  @Test
  void switchboardSignaturesBecomeCanonicalContinuityAndStopPassThrough() throws Exception {
    MessagesRequest r = decode("""
        {"model":"m","messages":[{"role":"user","content":"q"},
          {"role":"assistant","content":[{"type":"thinking","thinking":"I think","signature":"sb1.0123456789ab.e30"},
            {"type":"text","text":"a"}]},{"role":"user","content":"more"}],"thinking":{"type":"enabled","budget_tokens":20000},
         "max_tokens":30000}""");
    JsonNode assistant = r.canonical().tree().path("messages").get(1);

    assertThat(r.passThrough()).isFalse();
    assertThat(assistant.path("reasoning_details").get(0).path("data").asText()).isEqualTo("sb1.0123456789ab.e30");
    assertThat(assistant.path("reasoning_content").asText()).isEqualTo("I think");
    assertThat(r.canonical().tree().path("reasoning_effort").asText()).isEqualTo("high");
  }

  @Test
  void contentPartsMapToTheirCanonicalCounterparts() throws Exception {
    MessagesRequest r = decode("""
        {"model":"m","max_tokens":100,"messages":[{"role":"user","content":[
          {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}},
          {"type":"image","source":{"type":"url","url":"https://example.com/a.png"}},
          {"type":"document","source":{"type":"text","media_type":"text/plain","data":"notes"},"title":"N"},
          {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBE"}}]}],
         "tool_choice":{"type":"tool","name":"t"},"tools":[{"name":"t","input_schema":{"type":"object"}}],"stop_sequences":["END"]}""");
    JsonNode parts = r.canonical().tree().path("messages").get(0).path("content");

    assertThat(parts.get(0).path("image_url").path("url").asText()).isEqualTo("data:image/png;base64,AAAA");
    assertThat(parts.get(1).path("image_url").path("url").asText()).isEqualTo("https://example.com/a.png");
    assertThat(parts.get(2).path("text").asText()).isEqualTo("N\n\nnotes");
    assertThat(parts.get(3).path("file").path("file_data").asText()).startsWith("data:application/pdf;base64,");
    assertThat(r.canonical().tree().path("tool_choice").path("function").path("name").asText()).isEqualTo("t");
    assertThat(r.canonical().tree().path("stop").get(0).asText()).isEqualTo("END");
  }

  @Test
  void forcingAServerToolIsARefusalForTranslationOnly() throws Exception {
    MessagesRequest r = decode("""
        {"model":"m","max_tokens":100,"messages":[{"role":"user","content":"news"}],
         "tools":[{"type":"web_search_20250305","name":"web_search"}],"tool_choice":{"type":"tool","name":"web_search"}}""");
    assertThat(r.refusal()).hasValueSatisfying(v -> assertThat(v).contains("web_search"));
    assertThat(r.passThrough()).isTrue();
  }

  @Test
  void aCanonicalAnswerEncodesAsAnAnthropicMessage() throws Exception {
    byte[] completion = """
        {"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":null,
          "reasoning_content":"Let me see","reasoning_details":[{"type":"reasoning.encrypted","data":"sb1.abc.e30","format":"switchboard-v1"}],
          "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get","arguments":"{\\"a\\":1}"}},
                        {"id":"call_2","type":"function","function":{"name":"get","arguments":"not json"}}]},
          "finish_reason":"tool_calls"}],
         "usage":{"prompt_tokens":100,"completion_tokens":20,"prompt_tokens_details":{"cached_tokens":30}}}""".getBytes(StandardCharsets.UTF_8);
    JsonNode m = JSON.readTree(MessagesAnswers.encode(completion, "route"));

    assertThat(m.path("id").asText()).startsWith("msg_").hasSize(28);
    assertThat(m.path("model").asText()).isEqualTo("route");
    assertThat(m.path("content").get(0).path("type").asText()).isEqualTo("thinking");
    assertThat(m.path("content").get(0).path("signature").asText()).isEqualTo("sb1.abc.e30");
    assertThat(m.path("content").get(1).path("input").path("a").asInt()).isEqualTo(1);
    assertThat(m.path("content").get(2).path("input").path("_raw").asText()).isEqualTo("not json");
    assertThat(m.path("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(m.path("usage").path("input_tokens").asLong()).isEqualTo(70);
    assertThat(m.path("usage").path("cache_read_input_tokens").asLong()).isEqualTo(30);
    assertThat(m.path("usage").path("output_tokens").asLong()).isEqualTo(20);
  }

  @Test
  void aCanonicalStreamEncodesAsNamedEventsWithTheContinuityLast() throws Exception {
    MessagesStreamEncoder encoder = new MessagesStreamEncoder("route");
    List<String> out = new ArrayList<>();
    for (String chunk : List.of(
        "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"reasoning_content\":\"hm\"}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{}\"}}]}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_details\":[{\"type\":\"reasoning.encrypted\",\"data\":\"sb1.x.e30\",\"format\":\"switchboard-v1\"}]}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4}}")) {
      encoder.chunk(chunk, out);
    }
    encoder.end(out);
    List<String> names = out.stream().map(e -> e.substring(7, e.indexOf('\n'))).toList();

    assertThat(names).containsExactly("message_start", "ping",
        "content_block_start", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop");
    assertThat(out.get(12)).contains("\"signature_delta\"", "sb1.x.e30");
    assertThat(out.get(14)).contains("\"stop_reason\":\"tool_use\"", "\"input_tokens\":9", "\"output_tokens\":4");
    assertThat(out.get(8)).contains("\"index\":2", "\"tool_use\"", "\"id\":\"c1\"");
  }

  @Test
  void errorsMapToAnthropicsStatusesAndTypes() {
    assertThat(MessagesErrors.status(new ApiError(503, "service_unavailable", "no_healthy_target", "", "x"))).isEqualTo(529);
    assertThat(MessagesErrors.type(new ApiError(503, "service_unavailable", "not_ready", "", "x"))).isEqualTo("overloaded_error");
    assertThat(MessagesErrors.type(new ApiError(401, "invalid_request_error", "invalid_api_key", "", "x"))).isEqualTo("authentication_error");
    assertThat(MessagesErrors.type(new ApiError(404, "invalid_request_error", "model_not_found", "", "x"))).isEqualTo("not_found_error");
    assertThat(MessagesErrors.type(new ApiError(413, "invalid_request_error", "request_too_large", "", "x"))).isEqualTo("request_too_large");
    assertThat(MessagesErrors.type(new ApiError(429, "rate_limit_error", "rate_limit_exceeded", "", "x"))).isEqualTo("rate_limit_error");
    assertThat(MessagesErrors.type(new ApiError(429, "insufficient_quota", "insufficient_quota", "", "x"))).isEqualTo("invalid_request_error");
    assertThat(MessagesErrors.type(new ApiError(502, "upstream_error", "upstream_error", "", "x"))).isEqualTo("api_error");
    assertThat(MessagesErrors.type(new ApiError(502, "upstream_error", "overloaded_error", "", "x"))).isEqualTo("overloaded_error");
    assertThat(MessagesErrors.type(new ApiError(504, "upstream_error", "upstream_timeout", "", "x"))).isEqualTo("timeout_error");
    assertThat(MessagesErrors.type(new ApiError(500, "server_error", "internal_error", "", "x"))).isEqualTo("api_error");
    assertThat(new String(MessagesErrors.sseEvent(new ApiError(502, "upstream_error", "upstream_error", "", "gone")), StandardCharsets.UTF_8))
        .isEqualTo("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"gone\"}}\n\n");
  }

  @Test
  void theTokenEstimateCountsTextNotImageBytes() throws Exception {
    JsonNode text = JSON.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"" + "word ".repeat(100) + "\"}]}");
    JsonNode image = JSON.readTree("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:"
        + "A".repeat(100_000) + "\"}}]}]}");
    assertThat(TokenEstimate.of(text)).isEqualTo(4 + 125);
    assertThat(TokenEstimate.of(image)).isEqualTo(4 + 1600);
  }
}
