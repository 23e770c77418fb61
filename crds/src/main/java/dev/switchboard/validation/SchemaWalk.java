package dev.switchboard.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.runtime.CelEvaluationException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One validation pass over one resource: structural checks first, then the CEL rules of each
 * node whose subtree passed them (a rule cannot judge a value of the wrong shape, and one clear
 * message beats a cascade). Defaults are filled in place into the copy being walked.
 */
final class SchemaWalk {
  private final CrdSchema schema;
  private final RuleObserver observer;
  private final List<Violation> violations = new ArrayList<>();

  SchemaWalk(CrdSchema schema, RuleObserver observer) {
    this.schema = schema;
    this.observer = observer;
  }

  List<Violation> violations() {
    return violations;
  }

  void add(String field, String message) {
    violations.add(new Violation(field, message));
  }

  /** Validates {@code value} (never null or JSON null) against {@code node}, defaulting in place. */
  void walk(JsonNode node, JsonNode value, String path) {
    int before = violations.size();
    checkStructure(node, value, path);
    if (violations.size() == before) {
      checkRules(node, value, path);
    }
  }

  private void checkStructure(JsonNode node, JsonNode value, String path) {
    String type = node.path("type").asText("");
    switch (type) {
      case "object" -> checkObject(node, value, path);
      case "array" -> checkArray(node, value, path);
      case "string" -> checkString(node, value, path);
      case "integer" -> {
        if (!value.isIntegralNumber()) {
          add(path, "must be an integer, not " + describe(value));
        } else {
          checkBounds(node, value, path);
        }
      }
      case "number" -> {
        if (!value.isNumber()) {
          add(path, "must be a number, not " + describe(value));
        } else {
          checkBounds(node, value, path);
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          add(path, "must be true or false, not " + describe(value));
        }
      }
      default -> {
        // No type: x-kubernetes-preserve-unknown-fields accepts any value.
      }
    }
  }

  private void checkObject(JsonNode node, JsonNode value, String path) {
    if (!value.isObject()) {
      add(path, "must be a mapping of fields, not " + describe(value));
      return;
    }
    ObjectNode object = (ObjectNode) value;
    dropNulls(object);
    JsonNode properties = node.path("properties");
    JsonNode additional = node.get("additionalProperties");
    boolean preserveUnknown = node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);

    for (JsonNode required : node.path("required")) {
      if (!object.has(required.asText())) {
        add(join(path, required.asText()), "Required value");
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      if (!object.has(property.getKey()) && property.getValue().has("default")) {
        object.set(property.getKey(), property.getValue().get("default").deepCopy());
      }
    }
    if (node.has("maxProperties") && object.size() > node.get("maxProperties").asInt()) {
      add(path, "must have at most " + node.get("maxProperties").asInt() + " entries");
    }
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      JsonNode child = object.get(name);
      if (properties.has(name)) {
        walk(properties.get(name), child, join(path, name));
      } else if (additional != null && additional.isObject()) {
        walk(additional, child, path + "[" + name + "]");
      } else if (!preserveUnknown) {
        List<String> known = new ArrayList<>();
        properties.fieldNames().forEachRemaining(known::add);
        add(join(path, name), "unknown field" + (known.isEmpty() ? "" : "; expected one of: " + String.join(", ", known)));
      }
    }
  }

  private void checkArray(JsonNode node, JsonNode value, String path) {
    if (!value.isArray()) {
      add(path, "must be a list, not " + describe(value));
      return;
    }
    ArrayNode array = (ArrayNode) value;
    if (node.has("minItems") && array.size() < node.get("minItems").asInt()) {
      int min = node.get("minItems").asInt();
      add(path, "must have at least " + min + (min == 1 ? " item" : " items"));
    }
    if (node.has("maxItems") && array.size() > node.get("maxItems").asInt()) {
      add(path, "must have at most " + node.get("maxItems").asInt() + " items");
    }
    JsonNode items = node.path("items");
    for (int i = 0; i < array.size(); i++) {
      JsonNode item = array.get(i);
      if (item.isNull()) {
        add(path + "[" + i + "]", "must not be null");
      } else if (items.isObject()) {
        walk(items, item, path + "[" + i + "]");
      }
    }
  }

  private void checkString(JsonNode node, JsonNode value, String path) {
    if (!value.isTextual()) {
      add(path, "must be a string, not " + describe(value));
      return;
    }
    String text = value.textValue();
    if (node.has("enum")) {
      List<String> allowed = new ArrayList<>();
      node.get("enum").forEach(e -> allowed.add(e.asText()));
      if (!allowed.contains(text)) {
        add(path, "Unsupported value \"" + text + "\": supported values: "
            + allowed.stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(", ")));
        return;
      }
    }
    int length = text.codePointCount(0, text.length());
    if (node.has("maxLength") && length > node.get("maxLength").asInt()) {
      add(path, "may not be longer than " + node.get("maxLength").asInt() + " characters");
    }
    if (node.has("minLength") && length < node.get("minLength").asInt()) {
      add(path, "must be at least " + node.get("minLength").asInt() + " characters long");
    }
    if (node.has("pattern") && !Pattern.compile(node.get("pattern").asText()).matcher(text).find()) {
      add(path, "must match the pattern " + node.get("pattern").asText());
    }
  }

  private void checkBounds(JsonNode node, JsonNode value, String path) {
    BigDecimal number = value.decimalValue();
    // OpenAPI v3.0 (what CRDs use): exclusiveMinimum and exclusiveMaximum are booleans on the bound.
    if (node.has("minimum")) {
      int c = number.compareTo(node.get("minimum").decimalValue());
      if (node.path("exclusiveMinimum").asBoolean(false) ? c <= 0 : c < 0) {
        add(path, (node.path("exclusiveMinimum").asBoolean(false) ? "must be more than " : "must be at least ") + plain(node.get("minimum")));
      }
    }
    if (node.has("maximum")) {
      int c = number.compareTo(node.get("maximum").decimalValue());
      if (node.path("exclusiveMaximum").asBoolean(false) ? c >= 0 : c > 0) {
        add(path, (node.path("exclusiveMaximum").asBoolean(false) ? "must be less than " : "must be at most ") + plain(node.get("maximum")));
      }
    }
  }

  private void checkRules(JsonNode node, JsonNode value, String path) {
    List<CrdSchema.CompiledRule> rules = schema.rulesAt(node);
    if (rules.isEmpty()) {
      return;
    }
    Object self = CelPrograms.toCel(value);
    for (CrdSchema.CompiledRule compiled : rules) {
      CelRule rule = compiled.rule();
      String field = rule.fieldPath().isEmpty() ? path : path + rule.fieldPath();
      Object result;
      try {
        result = CelPrograms.eval(compiled.program(), self);
      } catch (CelEvaluationException e) {
        observer.evaluated(rule, false);
        add(field, "validation rule could not be evaluated (" + e.getMessage() + "): " + rule.rule());
        continue;
      }
      boolean passed = Boolean.TRUE.equals(result);
      observer.evaluated(rule, passed);
      if (!passed) {
        add(field, message(compiled, self));
      }
    }
  }

  private static String message(CrdSchema.CompiledRule compiled, Object self) {
    if (compiled.messageProgram() != null) {
      try {
        Object message = CelPrograms.eval(compiled.messageProgram(), self);
        if (message instanceof String text && !text.isBlank()) {
          return text;
        }
      } catch (CelEvaluationException e) {
        // As in Kubernetes: a failing messageExpression falls back to the fixed message.
      }
    }
    String message = compiled.rule().message();
    return message.isEmpty() ? "failed rule: " + compiled.rule().rule() : message;
  }

  private static void dropNulls(ObjectNode object) {
    // Like the API server, a field set to null counts as absent (and may then be defaulted).
    List<String> nulls = new ArrayList<>();
    object.fields().forEachRemaining(e -> {
      if (e.getValue().isNull()) {
        nulls.add(e.getKey());
      }
    });
    nulls.forEach(object::remove);
  }

  static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  static String describe(JsonNode value) {
    if (value.isObject()) {
      return "a mapping";
    }
    if (value.isArray()) {
      return "a list";
    }
    if (value.isTextual()) {
      return "a string";
    }
    if (value.isBoolean()) {
      return "a boolean";
    }
    if (value.isIntegralNumber()) {
      return "an integer";
    }
    if (value.isNumber()) {
      return "a decimal number";
    }
    return "null";
  }

  private static String plain(JsonNode number) {
    return number.decimalValue().stripTrailingZeros().toPlainString();
  }
}
