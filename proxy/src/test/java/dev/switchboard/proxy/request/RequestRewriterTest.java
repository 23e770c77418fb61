package dev.switchboard.proxy.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestRewriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ChatRequest parse(String body) throws InvalidRequestException {
    return ChatRequestParser.parse(body.getBytes(StandardCharsets.UTF_8));
  }

  private static ObjectNode obj(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }

  @Test
  void spansCoverEveryKindOfValueExactly() throws Exception {
    String body = "{ \"model\" : \"m\", \"messages\":[{\"role\":\"user\",\"content\":\"a \\\"quoted\\\" é\"}],"
        + "\"s\":\"text\",\"i\":-12,\"f\":1.5e3,\"t\":true,\"n\":null,\"o\":{\"k\":[1,{\"x\":\"}\"}]},\"last\":\"end\" }";
    ChatRequest r = parse(body);
    assertThat(r.fields()).extracting(TopLevelField::name)
        .containsExactly("model", "messages", "s", "i", "f", "t", "n", "o", "last");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    for (TopLevelField f : r.fields()) {
      String span = new String(bytes, f.start(), f.end() - f.start(), StandardCharsets.UTF_8);
      JsonNode parsed = JSON.readTree("{" + span + "}");
      assertThat(parsed.has(f.name())).as(span).isTrue();
    }
    assertThat(r.field("o").toString()).isEqualTo("{\"k\":[1,{\"x\":\"}\"}]}");
  }

  @Test
  void replacesTheModelAppliesDefaultsAndOverridesKeepsTheRest() throws Exception {
    ChatRequest r = parse("{\"model\":\"alias\",\"temperature\":0.9,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"x\":[1,2]}");
    byte[] out = RequestRewriter.rewrite(r, "gpt-4o-2024-11-20",
        RequestRewriter.encode(obj("{\"temperature\":0.1,\"max_tokens\":50}")),
        RequestRewriter.encode(obj("{\"reasoning_effort\":\"high\",\"x\":\"forced\"}")));
    JsonNode sent = JSON.readTree(out);
    assertThat(sent.get("model").asText()).isEqualTo("gpt-4o-2024-11-20");
    assertThat(sent.get("temperature").asDouble()).isEqualTo(0.9);
    assertThat(sent.get("max_tokens").asInt()).isEqualTo(50);
    assertThat(sent.get("reasoning_effort").asText()).isEqualTo("high");
    assertThat(sent.get("x").asText()).isEqualTo("forced");
    assertThat(sent.get("messages").toString()).isEqualTo("[{\"role\":\"user\",\"content\":\"hi\"}]");
    assertThat(new String(out, StandardCharsets.UTF_8)).startsWith("{\"model\":\"gpt-4o-2024-11-20\",\"temperature\":0.9,\"messages\"");
  }

  @Test
  void staysValidJsonWhenTheFirstFieldsAreOverridden() throws Exception {
    ChatRequest r = parse("{\"x\":1,\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    byte[] out = RequestRewriter.rewrite(r, "up \"quoted\"", List.of(), RequestRewriter.encode(obj("{\"x\":2}")));
    JsonNode sent = JSON.readTree(out);
    assertThat(sent.get("x").asInt()).isEqualTo(2);
    assertThat(sent.get("model").asText()).isEqualTo("up \"quoted\"");
  }

  @Test
  void theTreeFormMatchesTheByteForm() throws Exception {
    ChatRequest r = parse("{\"model\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"top_p\":0.5}");
    ObjectNode tree = RequestRewriter.rewriteTree(r, "b", obj("{\"top_p\":0.1,\"seed\":7}"), obj("{\"top_p\":0.2}"));
    byte[] bytes = RequestRewriter.rewrite(r, "b", RequestRewriter.encode(obj("{\"top_p\":0.1,\"seed\":7}")),
        RequestRewriter.encode(obj("{\"top_p\":0.2}")));
    assertThat(tree).isEqualTo(JSON.readTree(bytes));
  }

  @Test
  void recordsStreamAndUsageFlags() throws Exception {
    ChatRequest r = parse("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(r.stream()).isTrue();
    assertThat(r.includeUsage()).isTrue();
    assertThat(parse("{\"model\":\"m\",\"stream\":null,\"messages\":[{\"role\":\"user\",\"content\":null}]}").stream()).isFalse();
    assertThatThrownBy(() -> parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"))
        .isInstanceOf(InvalidRequestException.class);
  }
}
