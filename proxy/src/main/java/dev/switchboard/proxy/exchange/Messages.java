package dev.switchboard.proxy.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.upstream.UpstreamException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Reading OpenAI messages: text, images, tool calls. */
public final class Messages {
  private Messages() {}

  /** A part of a message's content. */
  public record Part(String type, String text, String imageUrl) {
    public boolean isText() {
      return type.equals("text");
    }

    public boolean isImage() {
      return type.equals("image_url");
    }
  }

  /** An image given as a data URL: its media type and base64 data. */
  public record InlineImage(String mediaType, String base64) {}

  /** The content's parts; a string is one text part, null none. Unknown part types are kept by type. */
  public static List<Part> parts(JsonNode content) {
    List<Part> parts = new ArrayList<>();
    if (content == null || content.isNull()) {
      return parts;
    }
    if (content.isTextual()) {
      parts.add(new Part("text", content.asText(), null));
      return parts;
    }
    for (JsonNode p : content) {
      String type = p.path("type").asText();
      switch (type) {
        case "text", "input_text" -> parts.add(new Part("text", p.path("text").asText(), null));
        case "image_url" -> {
          JsonNode url = p.path("image_url");
          parts.add(new Part("image_url", null, url.isTextual() ? url.asText() : url.path("url").asText()));
        }
        default -> parts.add(new Part(type, null, null));
      }
    }
    return parts;
  }

  /** All text of a content, parts joined by newlines. */
  public static String text(JsonNode content) {
    StringBuilder out = new StringBuilder();
    for (Part p : parts(content)) {
      if (p.isText()) {
        if (!out.isEmpty()) {
          out.append('\n');
        }
        out.append(p.text());
      }
    }
    return out.toString();
  }

  /** Parses {@code data:image/png;base64,...}; null for any other URL. */
  public static InlineImage dataUrl(String url) {
    if (url == null || !url.startsWith("data:")) {
      return null;
    }
    int comma = url.indexOf(',');
    int semicolon = url.indexOf(";base64");
    if (comma < 0 || semicolon < 0 || semicolon > comma) {
      return null;
    }
    return new InlineImage(url.substring(5, semicolon), url.substring(comma + 1));
  }

  /** A tool call's arguments (a JSON string in OpenAI's format) as an object. */
  public static ObjectNode arguments(JsonNode call, String where) throws UpstreamException {
    JsonNode args = call.path("function").path("arguments");
    if (args.isObject()) {
      return (ObjectNode) args;
    }
    String text = args.asText("");
    if (text.isBlank()) {
      return OpenAiChunks.JSON.createObjectNode();
    }
    try {
      JsonNode parsed = OpenAiChunks.JSON.readTree(text);
      if (parsed instanceof ObjectNode object) {
        return object;
      }
    } catch (IOException e) {
      // reported below
    }
    throw UpstreamException.unsupported(where, "Invalid '" + where + "': the arguments must be a JSON object.");
  }

  /** A tool call id in OpenAI's style, for providers that give none. */
  public static String newCallId() {
    return "call_" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + Long.toHexString(ThreadLocalRandom.current().nextLong());
  }

  /** The function name of the tool call with this id among earlier assistant messages, or null. */
  public static String toolName(JsonNode messages, String callId) {
    for (JsonNode m : messages) {
      for (JsonNode call : m.path("tool_calls")) {
        if (callId.equals(call.path("id").asText())) {
          return call.path("function").path("name").asText();
        }
      }
    }
    return null;
  }
}
