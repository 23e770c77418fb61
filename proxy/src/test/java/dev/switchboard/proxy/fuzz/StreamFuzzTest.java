package dev.switchboard.proxy.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.dialect.anthropic.AnthropicTranslator;
import dev.switchboard.proxy.dialect.gemini.GeminiTranslator;
import dev.switchboard.proxy.dialect.ollama.OllamaTranslator;
import dev.switchboard.proxy.dialect.responses.ResponsesTranslator;
import dev.switchboard.proxy.exchange.StreamTranslator;
import dev.switchboard.proxy.upstream.ByteSlice;
import dev.switchboard.proxy.upstream.SseReader;
import dev.switchboard.proxy.upstream.UpstreamException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A provider's stream as the fuzzer makes it: bytes split at chosen points through the SSE
 * reader, and every event through each provider's translator. Nothing but IOException (reader)
 * and UpstreamException (translator) may come out, and no message may be unbounded.
 */
class StreamFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] EVENTS = {"", "message_start", "content_block_start", "content_block_delta",
      "content_block_stop", "message_delta", "message_stop", "error", "ping", "response.output_text.delta",
      "response.completed", "response.failed"};

  @FuzzTest(maxDuration = "15s")
  void stream(FuzzedDataProvider data) {
    int translator = data.consumeInt(0, 3);
    int split = data.consumeInt(1, 64);
    byte[] bytes = data.consumeRemainingAsBytes();
    StreamTranslator t = switch (translator) {
      case 0 -> AnthropicTranslator.stream(true, 1, "b");
      case 1 -> GeminiTranslator.stream("m", true, 1, "b");
      case 2 -> OllamaTranslator.stream("m", true, 1, "b");
      default -> ResponsesTranslator.stream("m", true, 1, "b");
    };
    SseReader reader = new SseReader(new Trickle(bytes, split), () -> { });
    List<String> out = new ArrayList<>();
    int named = 0;
    try {
      ByteSlice event;
      while ((event = reader.next()) != null) {
        String payload = SseReader.data(event);
        if (payload == null) {
          continue;
        }
        JsonNode json;
        try {
          json = JSON.readTree(payload);
        } catch (IOException e) {
          continue; // the adapters refuse non-JSON before a translator sees it
        }
        if (json == null) {
          continue;
        }
        String name = SseReader.eventName(event);
        t.onEvent(name.isEmpty() ? EVENTS[named++ % EVENTS.length] : name, json, out);
        if (t.complete()) {
          break;
        }
      }
      t.onEnd(out);
    } catch (UpstreamException e) {
      ChatRequestFuzzTest.Bounded.check(e.getMessage());
    } catch (IOException e) {
      // a reader limit or a broken stream: documented
    }
  }

  /** Hands out at most {@code piece} bytes per read, as a network does. */
  private static final class Trickle extends InputStream {
    private final ByteArrayInputStream in;
    private final int piece;

    Trickle(byte[] bytes, int piece) {
      this.in = new ByteArrayInputStream(bytes);
      this.piece = piece;
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return in.read(b, off, Math.min(len, piece));
    }
  }
}
