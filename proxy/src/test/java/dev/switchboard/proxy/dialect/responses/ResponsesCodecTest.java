package dev.switchboard.proxy.dialect.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Responses codec as pure functions: requests into the canonical shape, canonical answers and streams back. */
class ResponsesCodecTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ResponsesRequest decode(String body) throws Exception {
    return ResponsesRequestDecoder.decode(body.getBytes(StandardCharsets.UTF_8), id -> Optional.empty());
  }

  @Test
  void aCodexShapedRequestDecodesIntoTheCanonicalShape() throws Exception {
    ResponsesRequest r = decode("""
        {"model":"coder","stream":true,"store":false,"include":["reasoning.encrypted_content"],"reasoning":{"summary":"auto"},
         "parallel_tool_calls":true,"prompt_cache_key":"s1","client_metadata":{"a":"b"},"tool_choice":"auto",
         "tools":[{"type":"function","name":"exec_command","strict":false,"parameters":{"type":"object"}},
                  {"type":"namespace","name":"agents","tools":[{"type":"function","name":"spawn","parameters":{"type":"object"}}]},
                  {"type":"web_search","external_web_access":true}],
         "input":[{"type":"message","id":"msg_1","role":"developer","content":[{"type":"input_text","text":"You are Codex."}]},
                  {"type":"message","role":"user","content":[{"type":"input_text","text":"go"}]},
                  {"type":"reasoning","id":"rs_1","summary":[],"content":null,"encrypted_content":"sb1.0123456789ab.e30"},
                  {"type":"function_call","id":"fc_1","call_id":"call_1","name":"spawn","namespace":"agents","arguments":"{}"},
                  {"type":"function_call_output","id":"fco_1","call_id":"call_1","output":"done"}]}""");
    JsonNode c = r.canonical().tree();

    assertThat(r.passThroughTo("ns/azure")).as("continuity another backend issued").isFalse();
    assertThat(c.path("messages").get(0).path("role").asText()).isEqualTo("system");
    JsonNode assistant = c.path("messages").get(2);
    assertThat(assistant.path("tool_calls").get(0).path("function").path("name").asText()).isEqualTo("agents__spawn");
    assertThat(assistant.path("reasoning_details").get(0).path("data").asText()).isEqualTo("sb1.0123456789ab.e30");
    assertThat(c.path("messages").get(3).path("role").asText()).isEqualTo("tool");
    assertThat(c.path("tools")).extracting(t -> t.path("function").path("name").asText()).containsExactly("exec_command", "agents__spawn");
    assertThat(c.path("tool_choice").asText()).isEqualTo("auto");
    assertThat(r.dropped()).contains("tool web_search", "prompt_cache_key", "client_metadata", "reasoning.summary");
    assertThat(r.options().includeEncrypted()).isTrue();
    assertThat(r.options().store()).isFalse();
    assertThat(r.inputItems()).hasSize(5);
    assertThat(r.inputItems().get(1).path("id").asText()).startsWith("msg_");
  }

  @Test
  void aStoredConversationComesFirstAndItsCallsCanBeAnswered() throws Exception {
    ArrayNode history = (ArrayNode) JSON.readTree("""
        [{"role":"user","content":"q"},{"role":"assistant","content":null,
          "tool_calls":[{"id":"call_7","type":"function","function":{"name":"f","arguments":"{}"}}]}]""");
    ResponsesRequest r = ResponsesRequestDecoder.decode("""
        {"model":"m","instructions":"Be brief.","previous_response_id":"resp_1",
         "input":[{"type":"function_call_output","call_id":"call_7","output":"42"}]}""".getBytes(StandardCharsets.UTF_8),
        id -> id.equals("resp_1") ? Optional.of(new ResponsesRequest.Prior(history, Optional.empty())) : Optional.empty());
    JsonNode messages = r.canonical().tree().path("messages");

    assertThat(messages).extracting(m -> m.path("role").asText()).containsExactly("system", "user", "assistant", "tool");
    assertThat(r.conversation()).hasSize(3).as("instructions are not part of the stored conversation");
    assertThat(r.passThroughTo("ns/azure")).as("only the gateway holds the conversation").isFalse();
    assertThat(r.preferredBackend()).isEmpty();
    ResponsesRequest held = ResponsesRequestDecoder.decode("{\"model\":\"m\",\"input\":\"x\",\"previous_response_id\":\"resp_1\"}"
        .getBytes(StandardCharsets.UTF_8), id -> Optional.of(new ResponsesRequest.Prior(history,
            Optional.of(new ResponsesRequest.Native("ns/azure", "resp_upstream")))));
    assertThat(held.passThroughTo("ns/azure")).as("the backend that stored it continues it").isTrue();
    assertThat(held.passThroughTo("ns/other")).as("any other backend gets it rebuilt").isFalse();
    assertThat(held.preferredBackend()).contains("ns/azure");
    assertThat(held.id()).startsWith("resp_").isNotEqualTo(r.id());
    assertThat(decode("{\"model\":\"m\",\"input\":\"x\"}").passThroughTo("ns/any")).as("a new conversation, stored or not").isTrue();
    assertThatThrownBy(() -> ResponsesRequestDecoder.decode("{\"model\":\"m\",\"input\":\"x\",\"previous_response_id\":\"resp_2\"}"
        .getBytes(StandardCharsets.UTF_8), id -> Optional.empty())).isInstanceOf(ResponsesRequestDecoder.UnknownResponse.class)
        .hasMessage("Previous response with id 'resp_2' not found.");
  }

  @Test
  void aCanonicalAnswerEncodesAsAResponseWithNamespacedCallsSplitBack() throws Exception {
    ResponsesRequest r = decode("""
        {"model":"coder","input":"go","include":["reasoning.encrypted_content"],
         "tools":[{"type":"namespace","name":"agents","tools":[{"type":"function","name":"spawn"}]}]}""");
    byte[] completion = """
        {"choices":[{"message":{"role":"assistant","content":null,"reasoning_content":"think",
           "reasoning_details":[{"type":"reasoning.encrypted","data":"sb1.x.e30","format":"switchboard-v1"}],
           "tool_calls":[{"id":"call_1","type":"function","function":{"name":"agents__spawn","arguments":"{}"}}]},
           "finish_reason":"length"}],
         "usage":{"prompt_tokens":10,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":2},
                  "completion_tokens_details":{"reasoning_tokens":3}}}""".getBytes(StandardCharsets.UTF_8);
    JsonNode response = ResponsesAnswers.encode(completion, "resp_1", "coder", 1700000000, r.options());

    assertThat(response.path("status").asText()).isEqualTo("incomplete");
    assertThat(response.path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
    assertThat(response.path("output").get(0).path("encrypted_content").asText()).isEqualTo("sb1.x.e30");
    assertThat(response.path("output").get(0).path("summary").get(0).path("text").asText()).isEqualTo("think");
    JsonNode call = response.path("output").get(1);
    assertThat(call.path("name").asText()).isEqualTo("spawn");
    assertThat(call.path("namespace").asText()).isEqualTo("agents");
    assertThat(response.path("usage").path("input_tokens_details").path("cached_tokens").asLong()).isEqualTo(2);
    assertThat(response.path("usage").path("output_tokens_details").path("reasoning_tokens").asLong()).isEqualTo(3);
    assertThat(response.path("usage").path("total_tokens").asLong()).isEqualTo(15);
    JsonNode kept = ResponsesAnswers.assistantMessage(response, "sb1.x.e30");
    assertThat(kept.path("tool_calls").get(0).path("function").path("name").asText()).isEqualTo("agents__spawn");
    assertThat(kept.path("reasoning_details").get(0).path("data").asText()).isEqualTo("sb1.x.e30");
  }

  @Test
  void aCanonicalStreamEncodesAsNumberedEventsWithTheContinuityLast() throws Exception {
    ResponsesRequest r = decode("{\"model\":\"m\",\"input\":\"go\",\"include\":[\"reasoning.encrypted_content\"]}");
    ResponsesStreamEncoder encoder = new ResponsesStreamEncoder("resp_1", "m", 1700000000, r.options());
    List<String> out = new ArrayList<>();
    for (String chunk : List.of(
        "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"reasoning_content\":\"hm\"}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\":1}\"}}]}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_details\":[{\"type\":\"reasoning.encrypted\",\"data\":\"sb1.x.e30\",\"format\":\"switchboard-v1\"}]}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4}}")) {
      encoder.chunk(chunk, out);
    }
    encoder.end(out);
    List<JsonNode> events = new ArrayList<>();
    for (String e : out) {
      events.add(JSON.readTree(e.substring(e.indexOf("data: ") + 6)));
    }

    assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("response.created", "response.in_progress",
        "response.output_item.added", "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
        "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
        "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.done",
        "response.content_part.done", "response.output_item.done",
        "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
        "response.function_call_arguments.done", "response.output_item.done",
        "response.output_item.added", "response.output_item.done", "response.completed");
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).path("sequence_number").asInt()).isEqualTo(i);
    }
    assertThat(events.get(17).path("arguments").asText()).isEqualTo("{\"a\":1}");
    JsonNode done = events.get(events.size() - 1).path("response");
    assertThat(done.path("output")).hasSize(4);
    assertThat(done.path("output").get(3).path("encrypted_content").asText()).isEqualTo("sb1.x.e30");
    assertThat(done.path("output_text").asText()).isEqualTo("Hi");
    assertThat(done.path("usage").path("total_tokens").asLong()).isEqualTo(13);
    assertThat(encoder.token()).isEqualTo("sb1.x.e30");
    assertThat(encoder.failed("upstream_error", "gone")).contains("response.failed", "\"status\":\"failed\"", "gone");
  }
}
