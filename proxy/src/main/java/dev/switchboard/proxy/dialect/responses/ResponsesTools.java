package dev.switchboard.proxy.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * Responses tools in the canonical shape: function tools as they are, the functions of a
 * {@code namespace} group under the name {@code namespace__function} (and back), and built-in
 * tools, which only a Responses backend can run, left out and named.
 */
final class ResponsesTools {
  static final String SEPARATOR = "__";
  static final Set<String> BUILT_IN = Set.of("web_search", "web_search_preview", "web_search_2025_08_26", "file_search",
      "code_interpreter", "image_generation", "computer_use_preview", "computer_use", "mcp", "local_shell", "shell", "apply_patch");

  private ResponsesTools() {}

  static ArrayNode functions(JsonNode tools, Set<String> dropped, Set<String> builtIns) {
    ArrayNode out = ResponsesRequestDecoder.JSON.createArrayNode();
    if (tools == null || tools.isNull()) {
      return out;
    }
    for (JsonNode tool : tools) {
      String type = tool.path("type").asText();
      switch (type) {
        case "function" -> out.add(function(tool, ""));
        case "namespace" -> {
          String namespace = tool.path("name").asText();
          for (JsonNode inner : tool.path("tools")) {
            if ("function".equals(inner.path("type").asText("function"))) {
              out.add(function(inner, namespace));
            }
          }
        }
        case "custom" -> dropped.add("tool " + tool.path("name").asText() + " (custom)");
        default -> {
          builtIns.add(type);
          dropped.add("tool " + type);
        }
      }
    }
    return out;
  }

  private static ObjectNode function(JsonNode tool, String namespace) {
    ObjectNode wrapper = ResponsesRequestDecoder.JSON.createObjectNode().put("type", "function");
    ObjectNode f = wrapper.putObject("function");
    f.put("name", namespace.isEmpty() ? tool.path("name").asText() : namespace + SEPARATOR + tool.path("name").asText());
    if (tool.hasNonNull("description")) {
      f.put("description", tool.path("description").asText());
    }
    f.set("parameters", tool.hasNonNull("parameters") ? tool.get("parameters") : ResponsesRequestDecoder.JSON.createObjectNode()
        .put("type", "object"));
    if (tool.path("strict").asBoolean(false)) {
      f.put("strict", true);
    }
    return wrapper;
  }

  /** The canonical name of a function call item or a tool choice: qualified by its namespace when it has one. */
  static String canonicalName(JsonNode item) {
    String namespace = item.path("namespace").asText("");
    return namespace.isEmpty() ? item.path("name").asText() : namespace + SEPARATOR + item.path("name").asText();
  }

  /** Puts a canonical tool name on a function call item: its namespace apart when the request declared one of that name. */
  static void name(ObjectNode item, String canonical, JsonNode requestTools) {
    int at = canonical.indexOf(SEPARATOR);
    if (at > 0) {
      String namespace = canonical.substring(0, at);
      for (JsonNode tool : requestTools) {
        if ("namespace".equals(tool.path("type").asText()) && namespace.equals(tool.path("name").asText())) {
          item.put("namespace", namespace).put("name", canonical.substring(at + SEPARATOR.length()));
          return;
        }
      }
    }
    item.put("name", canonical);
  }
}
