package dev.switchboard.proxy.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.dialect.anthropic.AnthropicTranslator;
import dev.switchboard.proxy.dialect.gemini.GeminiTranslator;
import dev.switchboard.proxy.dialect.ollama.OllamaTranslator;
import dev.switchboard.proxy.exchange.Messages;
import dev.switchboard.proxy.exchange.StreamTranslator;
import dev.switchboard.proxy.exchange.Unsupported;
import dev.switchboard.proxy.upstream.UpstreamException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The translators as pure functions: no sockets, no proxy. */
class TranslatorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  private static ObjectNode request(String text) throws Exception {
    return (ObjectNode) JSON.readTree(text);
  }

  @Test
  void finishReasonsMapForEveryProvider() {
    assertThat(AnthropicTranslator.finishReason("end_turn")).isEqualTo("stop");
    assertThat(AnthropicTranslator.finishReason("stop_sequence")).isEqualTo("stop");
    assertThat(AnthropicTranslator.finishReason("max_tokens")).isEqualTo("length");
    assertThat(AnthropicTranslator.finishReason("tool_use")).isEqualTo("tool_calls");
    assertThat(AnthropicTranslator.finishReason("refusal")).isEqualTo("content_filter");
    assertThat(GeminiTranslator.finishReason("STOP", false)).isEqualTo("stop");
    assertThat(GeminiTranslator.finishReason("STOP", true)).isEqualTo("tool_calls");
    assertThat(GeminiTranslator.finishReason("MAX_TOKENS", false)).isEqualTo("length");
    assertThat(GeminiTranslator.finishReason("RECITATION", false)).isEqualTo("content_filter");
    assertThat(OllamaTranslator.finishReason("length", false)).isEqualTo("length");
    assertThat(OllamaTranslator.finishReason("stop", true)).isEqualTo("tool_calls");
  }

  @Test
  void anthropicStreamEventsBecomeChunksAndAnEarlyEndIsAFailure() throws Exception {
    StreamTranslator t = AnthropicTranslator.stream(true, 1, "default/b");
    List<String> out = new ArrayList<>();
    t.onEvent("message_start", json("{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"model\":\"c\",\"usage\":{\"input_tokens\":3}}}"), out);
    t.onEvent("content_block_start", json("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\"}}"), out);
    t.onEvent("content_block_delta", json("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}"), out);
    assertThat(out).hasSize(3);
    assertThat(json(out.get(1)).at("/choices/0/delta/tool_calls/0/id").asText()).isEqualTo("t1");
    assertThat(json(out.get(2)).at("/choices/0/delta/tool_calls/0/index").asInt()).isZero();
    assertThatThrownBy(() -> t.onEnd(new ArrayList<>())).isInstanceOf(UpstreamException.class)
        .hasMessageContaining("before the answer was complete");
    assertThatThrownBy(() -> AnthropicTranslator.stream(false, 1, "b").onEvent("content_block_delta",
        json("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}"), out))
        .hasMessageContaining("before message_start");
  }

  @Test
  void anthropicMergesRolesAndDefaultsMaxTokens() throws Exception {
    ObjectNode out = AnthropicTranslator.request(request("{\"model\":\"c\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
        + "{\"role\":\"user\",\"content\":\"b\"},{\"role\":\"assistant\",\"content\":\"\"},{\"role\":\"user\",\"content\":\"c\"}]}"),
        777, false, "b", false);
    assertThat(out.get("messages")).hasSize(1);
    assertThat(out.at("/messages/0/content")).hasSize(3);
    assertThat(out.get("max_tokens").asInt()).isEqualTo(777);
    assertThatThrownBy(() -> AnthropicTranslator.request(request("{\"model\":\"c\",\"messages\":[{\"role\":\"assistant\","
        + "\"tool_calls\":[{\"id\":\"x\",\"function\":{\"name\":\"f\",\"arguments\":\"not json\"}}]}]}"), 1, false, "b", false))
        .hasMessageContaining("messages[0].tool_calls[0].function.arguments");
  }

  @Test
  void droppingUnsupportedParametersRemovesThemAndOnlyThem() throws Exception {
    ObjectNode r = request("{\"model\":\"m\",\"n\":1,\"seed\":3,\"logprobs\":false,\"temperature\":0.5,\"messages\":[]}");
    new Unsupported(r, "p", "b", true).reject("n", v -> v.asInt(1) != 1, "").reject("seed").reject("logprobs", Unsupported::isTrue, "");
    assertThat(r.has("seed")).isFalse();
    assertThat(r.has("n")).as("n=1 is expressible").isTrue();
    assertThat(r.has("logprobs")).as("false is expressible").isTrue();
    assertThat(r.has("temperature")).isTrue();
  }

  @Test
  void embeddingsEncodeAsOpenAiDoes() throws Exception {
    assertThat(EmbeddingsTranslator.base64(json("[1.0, -2.5]"))).isEqualTo("AACAPwAAIMA=");
    byte[] list = EmbeddingsTranslator.list(List.of(json("[0.5]")), "m", false, dev.switchboard.proxy.upstream.Usage.NONE);
    assertThat(json(new String(list)).at("/data/0/embedding/0").asDouble()).isEqualTo(0.5);
  }

  @Test
  void dataUrlsAreParsedAndOtherUrlsAreNot() {
    assertThat(Messages.dataUrl("data:image/webp;base64,UklGR")).isEqualTo(new Messages.InlineImage("image/webp", "UklGR"));
    assertThat(Messages.dataUrl("https://example.com/a.png")).isNull();
    assertThat(Messages.dataUrl("data:text/plain,hello")).isNull();
  }
}
