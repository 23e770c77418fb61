package dev.switchboard.proxy.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bodies that are not UTF-8 are a 400 before Jackson guesses another encoding (both found by fuzzing). */
class Utf8BodiesTest {
  private static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"h\u00e9 \ud83d\ude00\"}]}";

  @Test
  void utf8PassesAndOtherEncodingsAreRefused() throws Exception {
    assertThat(ChatRequestParser.parse(CHAT.getBytes(StandardCharsets.UTF_8)).model()).isEqualTo("m");
    for (var charset : new java.nio.charset.Charset[] {StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE,
        java.nio.charset.Charset.forName("UTF-32LE")}) {
      // Jackson would read these and report character offsets; the rewriter splices bytes.
      assertThatThrownBy(() -> ChatRequestParser.parse(CHAT.getBytes(charset)))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not UTF-8");
      assertThatThrownBy(() -> EmbeddingRequestParser.parse("{\"model\":\"m\",\"input\":\"x\"}".getBytes(charset)))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not UTF-8");
    }
  }

  @Test
  void invalidBytesInANameAreRefusedEvenAfterTheNameWasSeen() throws Exception {
    ChatRequestParser.parse("{\"model\":\"m\",\"input\":1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"
        .getBytes(StandardCharsets.UTF_8));
    byte[] bad = "{\"model\":\"m\",\"inpu\u00ff\u00fft\":1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"
        .getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> ChatRequestParser.parse(bad)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("not UTF-8 JSON (byte 18)");
  }

  @Test
  void theValidatorKnowsUtf8sEdges() {
    assertThat(Utf8Bodies.firstInvalid(new byte[] {(byte) 0xC0, (byte) 0x80})).isZero(); // overlong
    assertThat(Utf8Bodies.firstInvalid(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).isZero(); // surrogate
    assertThat(Utf8Bodies.firstInvalid(new byte[] {'a', (byte) 0xE2, (byte) 0x82})).isEqualTo(1); // cut short
    assertThat(Utf8Bodies.firstInvalid(new byte[] {'{', 0, 'b'})).isEqualTo(1);
    assertThat(Utf8Bodies.firstInvalid(new byte[] {'{', '"', 'a', 'b', 0})).isEqualTo(-1); // Jackson's to refuse
    assertThat(Utf8Bodies.firstInvalid("\u20ac\ud83d\ude00".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
  }
}
