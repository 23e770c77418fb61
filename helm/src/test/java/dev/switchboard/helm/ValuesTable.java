package dev.switchboard.helm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chart README's values table, made from values.yaml: each key preceded by a
 * {@code # -- description} comment (continued on following {@code #} lines) is a row with its
 * type and default.
 */
final class ValuesTable {
  static final String BEGIN = "<!-- values table: generated from values.yaml by ChartValuesTest -->";
  static final String END = "<!-- end of values table -->";
  private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_]+):.*$");
  private static final ObjectMapper JSON = new ObjectMapper();

  record Row(String key, String type, String defaultValue, String description) {}

  private ValuesTable() {}

  static List<Row> rows(String valuesYaml) {
    JsonNode tree;
    try {
      tree = Chart.YAML.readTree(valuesYaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
    List<Row> rows = new ArrayList<>();
    Deque<int[]> indents = new ArrayDeque<>();
    Deque<String> path = new ArrayDeque<>();
    StringBuilder pending = null;
    for (String line : valuesYaml.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("# --")) {
        pending = new StringBuilder(trimmed.substring(4).strip());
        continue;
      }
      if (trimmed.startsWith("#")) {
        if (pending != null) {
          pending.append(' ').append(trimmed.substring(1).strip());
        }
        continue;
      }
      Matcher m = KEY.matcher(line);
      if (!m.matches()) {
        continue;
      }
      int indent = m.group(1).length();
      while (!indents.isEmpty() && indents.peekLast()[0] >= indent) {
        indents.removeLast();
        path.removeLast();
      }
      indents.addLast(new int[] {indent});
      path.addLast(m.group(2));
      if (pending != null) {
        String key = String.join(".", path);
        JsonNode value = tree.at("/" + String.join("/", path));
        rows.add(new Row(key, type(value), render(value), pending.toString()));
        pending = null;
      }
    }
    return rows;
  }

  static String render(String valuesYaml) {
    StringBuilder table = new StringBuilder("| Key | Type | Default | Description |\n| --- | --- | --- | --- |\n");
    for (Row r : rows(valuesYaml)) {
      table.append("| `").append(r.key()).append("` | ").append(r.type()).append(" | ").append(r.defaultValue()).append(" | ")
          .append(r.description().replace("|", "\\|")).append(" |\n");
    }
    return table.toString();
  }

  /** Dotted paths of every scalar, empty map and empty list in the tree. */
  static List<String> leaves(JsonNode node, String prefix) {
    List<String> out = new ArrayList<>();
    if (node.isObject() && !node.isEmpty()) {
      node.fields().forEachRemaining(e -> out.addAll(leaves(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey())));
    } else {
      out.add(prefix);
    }
    return out;
  }

  private static String type(JsonNode v) {
    return switch (v.getNodeType()) {
      case OBJECT -> "object";
      case ARRAY -> "list";
      case BOOLEAN -> "bool";
      case NUMBER -> "int";
      case NULL, MISSING -> "bool or empty";
      default -> "string";
    };
  }

  private static String render(JsonNode v) {
    if (v.isNull() || v.isMissingNode()) {
      return "(empty)";
    }
    if (v.isTextual() && v.asText().isEmpty()) {
      return "`\"\"`";
    }
    try {
      String json = v.isTextual() ? v.asText() : JSON.writeValueAsString(v);
      return "`" + json.replace("|", "\\|") + "`";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
