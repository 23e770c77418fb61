package dev.switchboard.proxy.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.error.Quote;
import dev.switchboard.proxy.request.InvalidRequestException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Anthropic's request rules, in its own words ({@code path: problem}, paths as Anthropic writes
 * them), so a request refused here would have been refused by Anthropic the same way. Fields the
 * gateway does not model are left to the backend (pass-through) or dropped (translation).
 */
final class MessagesValidation {
  private static final Pattern TOOL_NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,128}$");
  private static final Set<String> TOOL_CHOICES = Set.of("auto", "any", "tool", "none");
  private static final Set<String> THINKING = Set.of("enabled", "disabled", "adaptive");
  private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

  private MessagesValidation() {}

  static void check(ObjectNode r) throws InvalidRequestException {
    JsonNode model = r.get("model");
    required(model, "model");
    if (!model.isTextual() || model.asText().isBlank()) {
      fail("model", "model: Input should be a valid string");
    }
    JsonNode maxTokens = r.get("max_tokens");
    required(maxTokens, "max_tokens");
    if (!maxTokens.isIntegralNumber()) {
      fail("max_tokens", "max_tokens: Input should be a valid integer");
    }
    if (maxTokens.asLong() < 1) {
      fail("max_tokens", "max_tokens: Input should be greater than or equal to 1");
    }
    JsonNode messages = r.get("messages");
    required(messages, "messages");
    if (!messages.isArray()) {
      fail("messages", "messages: Input should be a valid list");
    }
    if (messages.isEmpty()) {
      fail("messages", "messages: at least one message is required");
    }
    range(r, "temperature", 0, 1);
    range(r, "top_p", 0, 1);
    if (r.hasNonNull("top_k") && (!r.get("top_k").isIntegralNumber() || r.get("top_k").asLong() < 0)) {
      fail("top_k", "top_k: Input should be greater than or equal to 0");
    }
    if (r.has("stream") && !r.get("stream").isBoolean()) {
      fail("stream", "stream: Input should be a valid boolean");
    }
    JsonNode stops = r.get("stop_sequences");
    if (stops != null && !stops.isNull()) {
      if (!stops.isArray()) {
        fail("stop_sequences", "stop_sequences: Input should be a valid list");
      }
      for (int i = 0; i < stops.size(); i++) {
        if (!stops.get(i).isTextual()) {
          fail("stop_sequences", "stop_sequences." + i + ": Input should be a valid string");
        }
      }
    }
    JsonNode metadata = r.get("metadata");
    if (metadata != null && !metadata.isNull()) {
      if (!metadata.isObject()) {
        fail("metadata", "metadata: Input should be a valid dictionary");
      }
      if (metadata.has("user_id") && !metadata.get("user_id").isTextual() && !metadata.get("user_id").isNull()) {
        fail("metadata.user_id", "metadata.user_id: Input should be a valid string");
      }
    }
    system(r.get("system"));
    Set<String> toolNames = tools(r.get("tools"));
    toolChoice(r.get("tool_choice"), r.get("tools"), toolNames);
    thinking(r.get("thinking"), maxTokens.asLong());
    messages(messages);
  }

  private static void system(JsonNode system) throws InvalidRequestException {
    if (system == null || system.isNull() || system.isTextual()) {
      return;
    }
    if (!system.isArray()) {
      fail("system", "system: Input should be a valid string or a list of text blocks");
    }
    for (int i = 0; i < system.size(); i++) {
      if (!"text".equals(system.get(i).path("type").asText())) {
        fail("system", "system." + i + ".type: Input should be 'text'");
      }
      if (!system.get(i).path("text").isTextual()) {
        fail("system", "system." + i + ".text: Field required");
      }
    }
  }

  private static Set<String> tools(JsonNode tools) throws InvalidRequestException {
    Set<String> names = new LinkedHashSet<>();
    if (tools == null || tools.isNull()) {
      return names;
    }
    if (!tools.isArray()) {
      fail("tools", "tools: Input should be a valid list");
    }
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String type = tool.path("type").asText("custom");
      if (!tool.path("name").isTextual()) {
        fail("tools", "tools." + i + "." + type + ".name: Field required");
      }
      String name = tool.get("name").asText();
      if (type.equals("custom")) {
        if (!TOOL_NAME.matcher(name).matches()) {
          fail("tools", "tools." + i + ".custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'");
        }
        if (!tool.has("input_schema")) {
          fail("tools", "tools." + i + ".custom.input_schema: Field required");
        }
        if (!tool.get("input_schema").isObject()) {
          fail("tools", "tools." + i + ".custom.input_schema: Input should be a valid dictionary");
        }
      }
      if (!names.add(name)) {
        fail("tools", "tools: Tool names must be unique.");
      }
    }
    return names;
  }

  private static void toolChoice(JsonNode choice, JsonNode tools, Set<String> names) throws InvalidRequestException {
    if (choice == null || choice.isNull()) {
      return;
    }
    String type = choice.path("type").asText();
    if (!choice.isObject() || !TOOL_CHOICES.contains(type)) {
      fail("tool_choice", "tool_choice: Input tag '" + Quote.of(type)
          + "' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'");
    }
    if (type.equals("tool")) {
      if (!choice.path("name").isTextual()) {
        fail("tool_choice", "tool_choice.tool.name: Field required");
      }
      if (!names.contains(choice.get("name").asText())) {
        fail("tool_choice", "Tool '" + Quote.of(choice.get("name").asText()) + "' not found in provided tools");
      }
    }
    if ((type.equals("tool") || type.equals("any")) && (tools == null || tools.isEmpty())) {
      fail("tool_choice", "tool_choice may only be specified while providing tools.");
    }
    if (choice.has("disable_parallel_tool_use") && !choice.get("disable_parallel_tool_use").isBoolean()) {
      fail("tool_choice", "tool_choice." + type + ".disable_parallel_tool_use: Input should be a valid boolean");
    }
  }

  private static void thinking(JsonNode thinking, long maxTokens) throws InvalidRequestException {
    if (thinking == null || thinking.isNull()) {
      return;
    }
    String type = thinking.path("type").asText();
    if (!thinking.isObject() || !THINKING.contains(type)) {
      fail("thinking", "thinking: Input tag '" + Quote.of(type)
          + "' found using 'type' does not match any of the expected tags: 'enabled', 'disabled', 'adaptive'");
    }
    if (type.equals("enabled")) {
      JsonNode budget = thinking.get("budget_tokens");
      if (budget == null) {
        fail("thinking", "thinking.enabled.budget_tokens: Field required");
      }
      if (!budget.isIntegralNumber()) {
        fail("thinking", "thinking.enabled.budget_tokens: Input should be a valid integer");
      }
      if (budget.asLong() < 1024) {
        fail("thinking", "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
      }
      if (budget.asLong() >= maxTokens) {
        fail("thinking", "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at "
            + "https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size");
      }
    }
  }

  private static void messages(JsonNode messages) throws InvalidRequestException {
    List<String> pendingToolUses = new ArrayList<>();
    int pendingAt = -1;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String at = "messages." + i;
      if (!m.isObject()) {
        fail("messages", at + ": Input should be a valid dictionary");
      }
      String role = m.path("role").asText();
      if (!m.has("role")) {
        fail("messages", at + ".role: Field required");
      }
      if (!role.equals("user") && !role.equals("assistant") && !role.equals("system")) {
        fail("messages", at + ".role: Input should be 'user' or 'assistant'");
      }
      JsonNode content = m.get("content");
      if (content == null) {
        fail("messages", at + ".content: Field required");
      }
      boolean last = i == messages.size() - 1;
      if (content.isTextual()) {
        if (content.asText().isEmpty() && !(last && role.equals("assistant"))) {
          fail("messages", at + ": all messages must have non-empty content except for the optional final assistant message");
        }
      } else if (!content.isArray()) {
        fail("messages", at + ".content: Input should be a valid string or a list of content blocks");
      } else if (content.isEmpty() && !(last && role.equals("assistant"))) {
        fail("messages", at + ": all messages must have non-empty content except for the optional final assistant message");
      }
      List<String> uses = new ArrayList<>();
      List<String> results = new ArrayList<>();
      for (int j = 0; content.isArray() && j < content.size(); j++) {
        block(content.get(j), at + ".content." + j, role, uses, results);
      }
      if (!pendingToolUses.isEmpty()) {
        List<String> missing = new ArrayList<>(pendingToolUses);
        missing.removeAll(results);
        if (!missing.isEmpty()) {
          fail("messages", "messages." + pendingAt + ": `tool_use` ids were found without `tool_result` blocks immediately after: "
              + String.join(", ", missing) + ". Each `tool_use` block must have a corresponding `tool_result` block in the next message.");
        }
      }
      List<String> orphans = new ArrayList<>(results);
      orphans.removeAll(pendingToolUses);
      if (!orphans.isEmpty()) {
        int index = indexOfFirstResult(content);
        fail("messages", at + ".content." + index + ": unexpected `tool_use_id` found in `tool_result` blocks: "
            + String.join(", ", orphans) + ". Each `tool_result` block must have a corresponding `tool_use` block in the previous message.");
      }
      pendingToolUses = uses;
      pendingAt = i;
    }
  }

  private static int indexOfFirstResult(JsonNode content) {
    for (int j = 0; j < content.size(); j++) {
      if ("tool_result".equals(content.get(j).path("type").asText())) {
        return j;
      }
    }
    return 0;
  }

  private static void block(JsonNode block, String at, String role, List<String> uses, List<String> results)
      throws InvalidRequestException {
    if (!block.isObject()) {
      fail("messages", at + ": Input should be a valid dictionary");
    }
    String type = block.path("type").asText();
    if (!MessagesRequestDecoder.BLOCK_TYPES.contains(type)) {
      fail("messages", at + ".type: Input tag '" + Quote.of(type) + "' found using 'type' does not match any of the expected tags: "
          + "'text', 'image', 'document', 'search_result', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking', "
          + "'server_tool_use', 'web_search_tool_result'");
    }
    switch (type) {
      case "text" -> {
        if (!block.path("text").isTextual()) {
          fail("messages", at + ".text.text: Field required");
        }
        if (block.get("text").asText().isEmpty()) {
          fail("messages", "messages: text content blocks must be non-empty");
        }
      }
      case "image" -> {
        JsonNode source = block.path("source");
        String kind = source.path("type").asText();
        if (kind.equals("base64")) {
          if (!IMAGE_TYPES.contains(source.path("media_type").asText())) {
            fail("messages", at + ".image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'");
          }
          if (!source.path("data").isTextual()) {
            fail("messages", at + ".image.source.base64.data: Field required");
          }
        } else if (kind.equals("url")) {
          if (!source.path("url").isTextual()) {
            fail("messages", at + ".image.source.url.url: Field required");
          }
        } else if (!kind.equals("file")) {
          fail("messages", at + ".image.source: Input tag '" + Quote.of(kind)
              + "' found using 'type' does not match any of the expected tags: 'base64', 'url', 'file'");
        }
      }
      case "tool_use", "server_tool_use" -> {
        if (role.equals("user")) {
          fail("messages", at + ": `tool_use` blocks can only be in `assistant` messages");
        }
        if (!block.path("id").isTextual()) {
          fail("messages", at + ".tool_use.id: Field required");
        }
        if (!block.path("name").isTextual()) {
          fail("messages", at + ".tool_use.name: Field required");
        }
        if (block.has("input") && !block.get("input").isObject()) {
          fail("messages", at + ".tool_use.input: Input should be a valid dictionary");
        }
        if (type.equals("tool_use")) {
          uses.add(block.get("id").asText());
        }
      }
      case "tool_result" -> {
        if (role.equals("assistant")) {
          fail("messages", at + ": `tool_result` blocks can only be in `user` messages");
        }
        if (!block.path("tool_use_id").isTextual()) {
          fail("messages", at + ".tool_result.tool_use_id: Field required");
        }
        JsonNode c = block.get("content");
        if (c != null && !c.isNull() && !c.isTextual() && !c.isArray()) {
          fail("messages", at + ".tool_result.content: Input should be a valid string or a list of content blocks");
        }
        if (block.has("is_error") && !block.get("is_error").isBoolean()) {
          fail("messages", at + ".tool_result.is_error: Input should be a valid boolean");
        }
        results.add(block.get("tool_use_id").asText());
      }
      case "thinking" -> {
        if (role.equals("user")) {
          fail("messages", at + ": `thinking` blocks can only be in `assistant` messages");
        }
        if (!block.path("thinking").isTextual()) {
          fail("messages", at + ".thinking.thinking: Field required");
        }
        if (!block.path("signature").isTextual()) {
          fail("messages", at + ".thinking.signature: Field required");
        }
      }
      case "redacted_thinking" -> {
        if (!block.path("data").isTextual()) {
          fail("messages", at + ".redacted_thinking.data: Field required");
        }
      }
      default -> {
        // server-tool results and newer blocks are Anthropic's to check
      }
    }
  }

  private static void range(ObjectNode r, String name, double min, double max) throws InvalidRequestException {
    JsonNode v = r.get(name);
    if (v == null || v.isNull()) {
      return;
    }
    if (!v.isNumber()) {
      fail(name, name + ": Input should be a valid number");
    }
    if (v.asDouble() < min) {
      fail(name, name + ": Input should be greater than or equal to " + (int) min);
    }
    if (v.asDouble() > max) {
      fail(name, name + ": Input should be less than or equal to " + (int) max);
    }
  }

  private static void required(JsonNode value, String name) throws InvalidRequestException {
    if (value == null || value.isNull()) {
      fail(name, name + ": Field required");
    }
  }

  private static void fail(String param, String message) throws InvalidRequestException {
    throw new InvalidRequestException(param, message);
  }
}
