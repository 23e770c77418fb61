package dev.switchboard.proxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reassembles a streamed OpenAI answer the way the SDKs do: content concatenated, tool calls
 * grouped by their index, arguments concatenated. Every chunk must be valid OpenAI.
 */
public final class ChunkAssembly {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One assembled tool call. */
  public record ToolCall(String id, String name, String arguments) {}

  public final StringBuilder content = new StringBuilder();
  public final StringBuilder reasoning = new StringBuilder();
  public final Map<Integer, String[]> tools = new TreeMap<>();
  public final List<String> finishReasons = new ArrayList<>();
  public JsonNode usage;
  public boolean done;
  public JsonNode error;
  public String id;

  public static ChunkAssembly of(List<String> data) {
    ChunkAssembly a = new ChunkAssembly();
    for (String d : data) {
      a.add(d);
    }
    return a;
  }

  private void add(String data) {
    if (data.equals("[DONE]")) {
      done = true;
      return;
    }
    JsonNode chunk;
    try {
      chunk = JSON.readTree(data);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + data, e);
    }
    if (chunk.has("error")) {
      error = chunk.get("error");
      return;
    }
    if (!"chat.completion.chunk".equals(chunk.path("object").asText())) {
      throw new AssertionError("not a chunk: " + data);
    }
    if (id == null) {
      id = chunk.path("id").asText();
    } else if (!id.equals(chunk.path("id").asText())) {
      throw new AssertionError("chunk ids differ: " + id + " and " + chunk.path("id").asText());
    }
    if (chunk.hasNonNull("usage")) {
      usage = chunk.get("usage");
    }
    for (JsonNode choice : chunk.path("choices")) {
      JsonNode delta = choice.path("delta");
      content.append(delta.path("content").asText(""));
      reasoning.append(delta.path("reasoning_content").asText(""));
      for (JsonNode call : delta.path("tool_calls")) {
        if (!call.has("index")) {
          throw new AssertionError("a tool call delta without index: " + data);
        }
        String[] t = tools.computeIfAbsent(call.get("index").asInt(), i -> new String[] {null, null, ""});
        if (call.hasNonNull("id")) {
          t[0] = call.get("id").asText();
        }
        if (call.path("function").hasNonNull("name")) {
          t[1] = call.path("function").get("name").asText();
        }
        t[2] += call.path("function").path("arguments").asText("");
      }
      if (choice.hasNonNull("finish_reason")) {
        finishReasons.add(choice.get("finish_reason").asText());
      }
    }
  }

  public List<ToolCall> toolCalls() {
    return tools.values().stream().map(t -> new ToolCall(t[0], t[1], t[2])).toList();
  }

  public JsonNode arguments(int index) {
    try {
      return JSON.readTree(toolCalls().get(index).arguments());
    } catch (IOException e) {
      throw new AssertionError("tool call arguments are not JSON: " + toolCalls().get(index).arguments(), e);
    }
  }
}
