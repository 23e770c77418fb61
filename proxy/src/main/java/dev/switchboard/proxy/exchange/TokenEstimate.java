package dev.switchboard.proxy.exchange;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A rough token count for a canonical request, for backends that cannot count exactly: about
 * four characters of text per token (the rule of thumb for English with BPE tokenizers), a few
 * tokens of framing per message, and a fixed cost per image or file instead of its encoded bytes.
 */
public final class TokenEstimate {
  static final int CHARS_PER_TOKEN = 4;
  static final int PER_MESSAGE = 4;
  /** What a mid-size image costs on the major providers (Anthropic: width*height/750, about 1,600 for 1092x1092). */
  static final int PER_IMAGE = 1600;

  private TokenEstimate() {}

  public static long of(JsonNode request) {
    long chars = 0;
    long tokens = 0;
    for (JsonNode m : request.path("messages")) {
      tokens += PER_MESSAGE;
      JsonNode content = m.path("content");
      if (content.isTextual()) {
        chars += content.asText().length();
      }
      for (JsonNode part : content) {
        switch (part.path("type").asText()) {
          case "text" -> chars += part.path("text").asText().length();
          case "image_url", "file", "input_audio" -> tokens += PER_IMAGE;
          default -> chars += part.toString().length();
        }
      }
      for (JsonNode call : m.path("tool_calls")) {
        chars += call.path("function").path("name").asText().length() + call.path("function").path("arguments").asText().length();
      }
    }
    for (JsonNode tool : request.path("tools")) {
      chars += tool.toString().length();
    }
    return tokens + (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }
}
