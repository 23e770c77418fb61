package dev.switchboard.proxy.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.proxy.dialect.anthropic.MessagesRequestDecoder;
import dev.switchboard.proxy.dialect.responses.ResponsesRequestDecoder;
import dev.switchboard.proxy.error.SecretMasker;
import dev.switchboard.proxy.request.ChatRequestParser;
import dev.switchboard.proxy.request.EmbeddingRequestParser;
import dev.switchboard.proxy.request.InvalidRequestException;

/**
 * The request parsers (chat, embeddings, Anthropic Messages, Responses): any bytes give a request or an
 * InvalidRequestException with a bounded message, never another exception (which would be a 500).
 */
class ChatRequestFuzzTest {
  @FuzzTest(maxDuration = "15s")
  void parse(byte[] body) {
    try {
      ChatRequestParser.parse(body);
    } catch (InvalidRequestException e) {
      Bounded.check(e.getMessage());
    }
    try {
      EmbeddingRequestParser.parse(body);
    } catch (InvalidRequestException e) {
      Bounded.check(e.getMessage());
    }
    try {
      MessagesRequestDecoder.decode(body);
    } catch (InvalidRequestException e) {
      Bounded.check(e.getMessage());
    }
    try {
      ResponsesRequestDecoder.decode(body, id -> java.util.Optional.empty());
    } catch (InvalidRequestException e) {
      Bounded.check(e.getMessage());
    } catch (ResponsesRequestDecoder.UnknownResponse e) {
      Bounded.check(e.getMessage());
    }
  }

  /** The message limit every error obeys before it leaves the proxy. */
  static final class Bounded {
    static void check(String message) {
      if (message.length() > SecretMasker.MAX_MESSAGE) {
        throw new AssertionError("a message of " + message.length() + " characters: " + message.substring(0, 200));
      }
    }
  }
}
