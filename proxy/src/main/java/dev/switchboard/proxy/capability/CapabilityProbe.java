package dev.switchboard.proxy.capability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.v1alpha1.Capability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one small request that proves each capability, in the Chat Completions dialect (adapters
 * translate it for every provider), and how its answer is judged. Pure: the checker sends it.
 *
 * <p>What a check costs: one request per model and capability, a prompt of a few dozen tokens and
 * an answer capped at {@link #ANSWER_TOKENS} (20 for stream-usage and vision), every
 * {@code capabilityInterval}.
 */
public final class CapabilityProbe {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Room for a tool call's or a JSON answer's few tokens, and for a reasoning model to get there. */
  static final int ANSWER_TOKENS = 200;
  /** A 1x1 PNG: the smallest image every provider accepts. */
  static final String PIXEL = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

  private CapabilityProbe() {}

  /** The judgement of one check: verified, or why not (a CamelCase word and words). */
  public record Verdict(boolean verified, String reason, String message) {
    static Verdict ok(String message) {
      return new Verdict(true, "Verified", message);
    }

    static Verdict failed(String reason, String message) {
      return new Verdict(false, reason, message);
    }
  }

  /** Whether the check is streamed. */
  public static boolean streamed(Capability c) {
    return c == Capability.TOOLS || c == Capability.STREAM_USAGE;
  }

  /** The request body for {@code model} (the client-facing name is irrelevant: the checker sends it to one backend model). */
  public static byte[] request(Capability c) {
    String body = switch (c) {
      case TOOLS -> """
          {"model":"probe","stream":true,"max_completion_tokens":%d,
           "messages":[{"role":"user","content":"What is the weather in Paris? Use the get_weather tool."}],
           "tools":[{"type":"function","function":{"name":"get_weather","description":"The weather in a city",
             "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
           "tool_choice":{"type":"function","function":{"name":"get_weather"}}}""".formatted(ANSWER_TOKENS);
      case STREAM_USAGE -> """
          {"model":"probe","stream":true,"stream_options":{"include_usage":true},"max_completion_tokens":20,
           "messages":[{"role":"user","content":"Say OK."}]}""";
      case JSON_MODE -> """
          {"model":"probe","max_completion_tokens":%d,
           "messages":[{"role":"user","content":"What is the capital of France? Answer in JSON."}],
           "response_format":{"type":"json_schema","json_schema":{"name":"capital","strict":true,
             "schema":{"type":"object","properties":{"capital":{"type":"string"}},"required":["capital"],"additionalProperties":false}}}}"""
          .formatted(ANSWER_TOKENS);
      case VISION -> """
          {"model":"probe","max_completion_tokens":20,
           "messages":[{"role":"user","content":[{"type":"text","text":"What colour is this pixel?"},
             {"type":"image_url","image_url":{"url":"%s"}}]}]}""".formatted(PIXEL);
    };
    return body.getBytes(StandardCharsets.UTF_8);
  }

  /** Judges a whole (not streamed) answer in the Chat Completions format. */
  public static Verdict judgeCompletion(Capability c, byte[] body) {
    JsonNode answer;
    try {
      answer = JSON.readTree(body);
    } catch (IOException e) {
      return Verdict.failed("NotJson", "the answer is not a chat completion");
    }
    JsonNode message = answer.path("choices").path(0).path("message");
    return switch (c) {
      case JSON_MODE -> {
        String content = message.path("content").asText("");
        JsonNode parsed;
        try {
          parsed = JSON.readTree(content);
        } catch (IOException e) {
          yield Verdict.failed("NotJson", "the answer is not JSON: " + excerpt(content));
        }
        if (parsed == null || !parsed.isObject() || !parsed.path("capital").isTextual() || parsed.size() != 1) {
          yield Verdict.failed("SchemaMismatch", "the JSON does not match the schema {capital: string}: " + excerpt(content));
        }
        yield Verdict.ok("a json_schema answer parsed and matched");
      }
      case VISION -> Verdict.ok("a request with an image was answered");
      default -> Verdict.failed("NotStreamed", "this check streams");
    };
  }

  /** Judges a streamed answer from its events' data (Chat Completions chunks). */
  public static Verdict judgeStream(Capability c, List<String> data) {
    Map<Integer, String[]> calls = new TreeMap<>();
    boolean usage = false;
    StringBuilder text = new StringBuilder();
    for (String d : data) {
      JsonNode chunk;
      try {
        chunk = JSON.readTree(d);
      } catch (IOException e) {
        continue;
      }
      if (chunk == null) {
        continue;
      }
      JsonNode u = chunk.path("usage");
      if (u.isObject() && (u.path("completion_tokens").asLong(0) > 0 || u.path("prompt_tokens").asLong(0) > 0)) {
        usage = true;
      }
      JsonNode delta = chunk.path("choices").path(0).path("delta");
      if (delta.path("content").isTextual() && text.length() < 200) {
        text.append(delta.path("content").asText());
      }
      for (JsonNode call : delta.path("tool_calls")) {
        String[] acc = calls.computeIfAbsent(call.path("index").asInt(0), k -> new String[] {"", ""});
        if (call.path("function").path("name").isTextual()) {
          acc[0] += call.path("function").path("name").asText();
        }
        if (call.path("function").path("arguments").isTextual()) {
          acc[1] += call.path("function").path("arguments").asText();
        }
      }
    }
    if (c == Capability.STREAM_USAGE) {
      return usage ? Verdict.ok("the stream ended with usage") : Verdict.failed("NoUsage", "the stream sent no usage although include_usage was set");
    }
    if (calls.isEmpty()) {
      return Verdict.failed("NoToolCall", "a forced tool call was answered with "
          + (text.isEmpty() ? "nothing" : "text: " + excerpt(text.toString())));
    }
    String[] first = calls.values().iterator().next();
    if (!first[0].equals("get_weather")) {
      return Verdict.failed("WrongTool", "the forced tool call named " + excerpt(first[0]) + ", not get_weather");
    }
    try {
      JsonNode args = JSON.readTree(first[1]);
      if (args == null || !args.isObject()) {
        return Verdict.failed("InvalidArguments", "the tool call's arguments are not a JSON object: " + excerpt(first[1]));
      }
    } catch (IOException e) {
      return Verdict.failed("InvalidArguments", "the tool call's arguments are not JSON: " + excerpt(first[1]));
    }
    return Verdict.ok("a forced tool call came back well formed, streamed");
  }

  private static String excerpt(String text) {
    String t = text.strip();
    return t.length() <= 80 ? t : t.substring(0, 80) + "...";
  }
}
