package dev.switchboard.proxy.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The parser notes continuity carriers while it reads, so passed-through bodies need no second scan. */
class ContinuityFlagTest {
  private static boolean flagged(String messages) throws Exception {
    return ChatRequestParser.parse(("{\"model\":\"m\",\"messages\":" + messages + "}").getBytes(StandardCharsets.UTF_8))
        .mayCarryContinuity();
  }

  @Test
  void onlyReasoningDetailsOrAToolCallsExtraContentCount() throws Exception {
    assertThat(flagged("[{\"role\":\"user\",\"content\":\"sb1.looks like a token\"}]")).isFalse();
    assertThat(flagged("[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
        + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]")).isFalse();
    assertThat(flagged("[{\"role\":\"assistant\",\"content\":\"x\",\"reasoning_details\":[]}]")).isTrue();
    assertThat(flagged("[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
        + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"},\"extra_content\":{\"google\":{}}}]}]")).isTrue();
  }

  @Test
  void oddToolCallsAreReadWithoutFailing() throws Exception {
    assertThat(flagged("[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[1,\"x\",[{\"extra_content\":1}],null]}]")).isFalse();
  }
}
