package dev.switchboard.proxy.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.error.Quote;
import dev.switchboard.proxy.request.InvalidRequestException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Responses API's request rules in OpenAI's words ({@code Missing required parameter:
 * 'input[0].call_id'.}, {@code Invalid value: 'x'. Supported values are: ...}), with the offending
 * parameter named. Fields it does not model are not refused: they go to Responses backends and
 * are dropped elsewhere.
 */
final class ResponsesValidation {
  private static final List<String> ROLES = List.of("user", "assistant", "system", "developer");
  private static final List<String> EFFORTS = List.of("none", "minimal", "low", "medium", "high", "xhigh");
  private static final List<String> SUMMARIES = List.of("auto", "concise", "detailed");
  private static final List<String> FORMATS = List.of("text", "json_object", "json_schema");
  private static final List<String> CHOICES = List.of("none", "auto", "required");
  private static final Set<String> ITEMS = Set.of("message", "function_call", "function_call_output", "reasoning", "item_reference",
      "web_search_call", "file_search_call", "computer_call", "computer_call_output", "local_shell_call", "local_shell_call_output",
      "shell_call", "shell_call_output", "apply_patch_call", "apply_patch_call_output", "custom_tool_call", "custom_tool_call_output",
      "image_generation_call", "code_interpreter_call", "mcp_call", "mcp_list_tools", "mcp_approval_request", "mcp_approval_response",
      "compaction");
  private static final Set<String> USER_PARTS = Set.of("input_text", "input_image", "input_file", "input_audio");
  private static final Set<String> ASSISTANT_PARTS = Set.of("output_text", "refusal");

  private ResponsesValidation() {}

  static void check(ObjectNode r) throws InvalidRequestException {
    JsonNode model = r.get("model");
    if (model == null || model.isNull()) {
      fail("model", "Missing required parameter: 'model'.");
    }
    if (!model.isTextual()) {
      type("model", "a string", model);
    }
    if (model.asText().isBlank()) {
      fail("model", "Invalid 'model': empty string. Expected a string with minimum length 1, but got an empty string instead.");
    }
    JsonNode input = r.get("input");
    if ((input == null || input.isNull()) && !r.hasNonNull("previous_response_id")) {
      fail("input", "Missing required parameter: 'input'.");
    }
    if (input != null && !input.isNull() && !input.isTextual() && !input.isArray()) {
      type("input", "one of a string or array of input items", input);
    }
    number(r, "temperature", 0, 2);
    number(r, "top_p", 0, 1);
    JsonNode max = r.get("max_output_tokens");
    if (max != null && !max.isNull()) {
      if (!max.isIntegralNumber()) {
        type("max_output_tokens", "an integer", max);
      }
      if (max.asLong() < 16) {
        fail("max_output_tokens", "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got "
            + max.asLong() + " instead.");
      }
    }
    for (String flag : List.of("stream", "store", "parallel_tool_calls", "background")) {
      if (r.hasNonNull(flag) && !r.get(flag).isBoolean()) {
        type(flag, "a boolean", r.get(flag));
      }
    }
    for (String text : List.of("instructions", "previous_response_id", "user")) {
      if (r.hasNonNull(text) && !r.get(text).isTextual()) {
        type(text, "a string", r.get(text));
      }
    }
    JsonNode metadata = r.get("metadata");
    if (metadata != null && !metadata.isNull()) {
      if (!metadata.isObject()) {
        type("metadata", "an object", metadata);
      }
      if (metadata.size() > 16) {
        fail("metadata", "Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got "
            + metadata.size() + " instead.");
      }
    }
    for (String object : List.of("text", "reasoning")) {
      if (r.hasNonNull(object) && !r.get(object).isObject()) {
        type(object, "an object", r.get(object));
      }
    }
    if (r.path("text").hasNonNull("format") && !r.path("text").get("format").isObject()) {
      type("text.format", "an object", r.path("text").get("format"));
    }
    JsonNode reasoning = r.get("reasoning");
    if (reasoning != null && !reasoning.isNull()) {
      oneOf(reasoning.get("effort"), "reasoning.effort", EFFORTS);
      oneOf(reasoning.get("summary"), "reasoning.summary", SUMMARIES);
    }
    JsonNode format = r.path("text").path("format");
    if (!format.isMissingNode() && !format.isNull()) {
      oneOf(format.get("type"), "text.format.type", FORMATS);
      if ("json_schema".equals(format.path("type").asText())) {
        if (!format.path("name").isTextual()) {
          fail("text.format.name", "Missing required parameter: 'text.format.name'.");
        }
        if (!format.path("schema").isObject()) {
          fail("text.format.schema", "Missing required parameter: 'text.format.schema'.");
        }
      }
    }
    tools(r.get("tools"));
    JsonNode choice = r.get("tool_choice");
    if (choice != null && !choice.isNull()) {
      if (choice.isTextual()) {
        oneOf(choice, "tool_choice", CHOICES);
      } else if (!choice.isObject() || !choice.path("type").isTextual()) {
        fail("tool_choice", "Invalid 'tool_choice': expected one of 'none', 'auto', 'required' or an object naming a tool.");
      } else if ("function".equals(choice.path("type").asText()) && !choice.path("name").isTextual()) {
        fail("tool_choice.name", "Missing required parameter: 'tool_choice.name'.");
      }
    }
    JsonNode include = r.get("include");
    if (include != null && !include.isNull() && !include.isArray()) {
      type("include", "an array", include);
    }
    if (input != null && input.isArray()) {
      items(input);
    }
  }

  private static void tools(JsonNode tools) throws InvalidRequestException {
    if (tools == null || tools.isNull()) {
      return;
    }
    if (!tools.isArray()) {
      type("tools", "an array", tools);
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String at = "tools[" + i + "]";
      if (!tool.path("type").isTextual()) {
        fail(at + ".type", "Missing required parameter: '" + at + ".type'.");
      }
      String type = tool.path("type").asText();
      if (type.equals("function") || type.equals("custom")) {
        if (!tool.path("name").isTextual()) {
          fail(at + ".name", "Missing required parameter: '" + at + ".name'.");
        }
        if (!names.add(tool.path("name").asText())) {
          fail("tools", "Duplicate tool name: '" + Quote.of(tool.path("name").asText()) + "'.");
        }
        if (tool.has("parameters") && !tool.get("parameters").isObject() && !tool.get("parameters").isNull()) {
          type(at + ".parameters", "an object", tool.get("parameters"));
        }
      } else if (type.equals("namespace")) {
        if (!tool.path("name").isTextual()) {
          fail(at + ".name", "Missing required parameter: '" + at + ".name'.");
        }
        if (!tool.path("tools").isArray()) {
          fail(at + ".tools", "Missing required parameter: '" + at + ".tools'.");
        }
      }
      // built-in tools are the backend's to check, or are dropped
    }
  }

  private static void items(JsonNode input) throws InvalidRequestException {
    Set<String> calls = new HashSet<>();
    for (int i = 0; i < input.size(); i++) {
      JsonNode item = input.get(i);
      String at = "input[" + i + "]";
      if (!item.isObject()) {
        type(at, "an object", item);
      }
      String type = item.path("type").asText("message");
      if (!ITEMS.contains(type)) {
        fail(at + ".type", "Invalid value: '" + Quote.of(type) + "'. Supported values are: 'message', 'function_call', "
            + "'function_call_output', 'reasoning', 'item_reference' and the built-in tools' call items.");
      }
      switch (type) {
        case "message" -> message(item, at);
        case "function_call" -> {
          required(item, "call_id", at);
          required(item, "name", at);
          if (!item.path("arguments").isTextual()) {
            fail(at + ".arguments", "Missing required parameter: '" + at + ".arguments'.");
          }
          calls.add(item.path("call_id").asText());
        }
        case "function_call_output" -> {
          required(item, "call_id", at);
          JsonNode output = item.get("output");
          if (output == null || output.isNull()) {
            fail(at + ".output", "Missing required parameter: '" + at + ".output'.");
          }
          if (!output.isTextual() && !output.isArray()) {
            type(at + ".output", "one of a string or array of content parts", output);
          }
        }
        case "reasoning" -> {
          if (item.has("summary") && !item.get("summary").isArray()) {
            type(at + ".summary", "an array", item.get("summary"));
          }
          if (item.hasNonNull("encrypted_content") && !item.get("encrypted_content").isTextual()) {
            type(at + ".encrypted_content", "a string", item.get("encrypted_content"));
          }
        }
        default -> {
          // other items are the backend's to check, or are dropped
        }
      }
    }
  }

  private static void message(JsonNode item, String at) throws InvalidRequestException {
    JsonNode role = item.get("role");
    if (role == null || role.isNull()) {
      fail(at + ".role", "Missing required parameter: '" + at + ".role'.");
    }
    oneOf(role, at + ".role", ROLES);
    JsonNode content = item.get("content");
    if (content == null || content.isNull()) {
      fail(at + ".content", "Missing required parameter: '" + at + ".content'.");
    }
    if (content.isTextual()) {
      return;
    }
    if (!content.isArray()) {
      type(at + ".content", "one of a string or array of input content parts", content);
    }
    Set<String> allowed = "assistant".equals(role.asText()) ? ASSISTANT_PARTS : USER_PARTS;
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String p = at + ".content[" + j + "]";
      String type = part.path("type").asText();
      if (!allowed.contains(type)) {
        fail(p + ".type", "Invalid value: '" + Quote.of(type) + "'. Supported values are: '"
            + String.join("', '", allowed.stream().sorted().toList()) + "'.");
      }
      if ((type.equals("input_text") || type.equals("output_text")) && !part.path("text").isTextual()) {
        fail(p + ".text", "Missing required parameter: '" + p + ".text'.");
      }
      if (type.equals("input_image") && !part.hasNonNull("image_url") && !part.hasNonNull("file_id")) {
        fail(p, "Missing required parameter: '" + p + ".image_url'.");
      }
    }
  }

  private static void required(JsonNode item, String field, String at) throws InvalidRequestException {
    if (!item.path(field).isTextual() || item.path(field).asText().isEmpty()) {
      fail(at + "." + field, "Missing required parameter: '" + at + "." + field + "'.");
    }
  }

  private static void oneOf(JsonNode value, String param, List<String> allowed) throws InvalidRequestException {
    if (value == null || value.isNull()) {
      return;
    }
    if (!value.isTextual() || !allowed.contains(value.asText())) {
      String list = allowed.size() == 1 ? "'" + allowed.get(0) + "'"
          : "'" + String.join("', '", allowed.subList(0, allowed.size() - 1)) + "', and '" + allowed.get(allowed.size() - 1) + "'";
      fail(param, "Invalid value: '" + Quote.of(value.isTextual() ? value.asText() : value.toString()) + "'. Supported values are: "
          + list + ".");
    }
  }

  private static void number(ObjectNode r, String name, double min, double max) throws InvalidRequestException {
    JsonNode v = r.get(name);
    if (v == null || v.isNull()) {
      return;
    }
    if (!v.isNumber()) {
      type(name, "a decimal", v);
    }
    if (v.asDouble() < min) {
      fail(name, "Invalid '" + name + "': decimal below minimum value. Expected a value >= " + (int) min + ", but got " + v + " instead.");
    }
    if (v.asDouble() > max) {
      fail(name, "Invalid '" + name + "': decimal above maximum value. Expected a value <= " + (int) max + ", but got " + v + " instead.");
    }
  }

  private static void type(String param, String expected, JsonNode got) throws InvalidRequestException {
    String kind = got.isTextual() ? "a string" : got.isBoolean() ? "a boolean" : got.isNumber() ? "a number"
        : got.isArray() ? "an array" : got.isObject() ? "an object" : "null";
    fail(param, "Invalid type for '" + param + "': expected " + expected + ", but got " + kind + " instead.");
  }

  private static void fail(String param, String message) throws InvalidRequestException {
    throw new InvalidRequestException(param, message);
  }
}
