package dev.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders docs/reference.md from the generated CRDs: every field with its type, whether it is
 * required, its constraints and CEL rules, and its description. Generated, so it cannot drift.
 */
final class ReferenceDoc {
  private ReferenceDoc() {}

  static String render(Map<String, String> crdYamlByFile) {
    StringBuilder out = new StringBuilder();
    out.append("# Resource reference\n\n")
        .append("<!-- Generated from the CRDs by the crds module's drift test. Do not edit: run\n")
        .append("     ./switchboard mvn -pl crds test -Dswitchboard.regenerate=true -->\n\n")
        .append("Both resources are in API group `switchboard.dev`, version `v1alpha1`, and are namespaced. ")
        .append("`kubectl explain chatbackend.spec` (or `modelroute.spec.targets`) shows the same descriptions. ")
        .append("Durations are strings such as `500ms`, `30s`, `1m30s` or `2h`. ")
        .append("Rules marked CEL are checked at `kubectl apply` by the API server, and in local mode by the proxy ")
        .append("with the same expressions.\n\n");
    for (String yaml : crdYamlByFile.values()) {
      JsonNode crd = read(yaml);
      JsonNode names = crd.path("spec").path("names");
      JsonNode version = crd.path("spec").path("versions").get(0);
      JsonNode schema = version.path("schema").path("openAPIV3Schema");
      out.append("## ").append(names.path("kind").asText()).append("\n\n")
          .append("`kubectl get ").append(names.path("plural").asText()).append("` (short name `")
          .append(names.path("shortNames").get(0).asText()).append("`, category `")
          .append(names.path("categories").get(0).asText()).append("`)\n\n")
          .append(schema.path("description").asText()).append("\n\n");
      List<String> columns = new ArrayList<>();
      version.path("additionalPrinterColumns").forEach(c -> columns.add(c.path("name").asText()
          + (c.path("priority").asInt() > 0 ? " (-o wide)" : "")));
      out.append("Columns of `kubectl get`: ").append(String.join(", ", columns)).append(".\n\n");
      out.append("| Field | Type | Required | Description |\n|---|---|---|---|\n");
      for (String part : new String[] {"spec", "status"}) {
        JsonNode node = schema.path("properties").path(part);
        row(out, part, node, part.equals("spec"));
        fields(out, part, node);
      }
      out.append('\n');
      rulesOf(out, "spec", schema.path("properties").path("spec"));
    }
    return out.toString();
  }

  private static void fields(StringBuilder out, String path, JsonNode node) {
    JsonNode children = node.path("properties");
    if (node.path("items").has("properties")) {
      children = node.path("items").path("properties");
      path = path + "[]";
      node = node.path("items");
    }
    List<String> required = new ArrayList<>();
    node.path("required").forEach(r -> required.add(r.asText()));
    String parent = path;
    children.fields().forEachRemaining(e -> {
      String childPath = parent + "." + e.getKey();
      row(out, childPath, e.getValue(), required.contains(e.getKey()));
      fields(out, childPath, e.getValue());
    });
  }

  private static void row(StringBuilder out, String path, JsonNode node, boolean required) {
    List<String> notes = new ArrayList<>();
    if (node.has("enum")) {
      List<String> values = new ArrayList<>();
      node.get("enum").forEach(v -> values.add("`" + v.asText() + "`"));
      notes.add("One of " + String.join(", ", values) + ".");
    }
    if (node.has("default")) {
      notes.add("Schema default `" + node.get("default") + "`.");
    }
    bound(notes, node, "minimum", "Minimum");
    bound(notes, node, "maximum", "Maximum");
    bound(notes, node, "minItems", "At least %s items");
    bound(notes, node, "maxItems", "At most %s items");
    bound(notes, node, "maxLength", "At most %s characters");
    bound(notes, node, "maxProperties", "At most %s entries");
    if (!path.equals("spec")) { // the spec's own rules span fields and are listed under the table
      node.path("x-kubernetes-validations").forEach(r -> notes.add("CEL: " + r.path("message").asText() + "."));
    }
    String description = node.path("description").asText("");
    out.append("| `").append(path).append("` | ").append(type(node)).append(" | ")
        .append(required ? "yes" : "").append(" | ")
        .append(escape((description + " " + String.join(" ", notes)).trim())).append(" |\n");
  }

  private static void rulesOf(StringBuilder out, String path, JsonNode node) {
    // Rules on whole objects span several fields; they are listed once more, under the table.
    if (path.equals("spec") && node.has("x-kubernetes-validations")) {
      out.append("Rules across fields of `spec` (CEL):\n\n");
      node.get("x-kubernetes-validations").forEach(r -> out.append("- ").append(r.path("message").asText())
          .append(" (`").append(r.path("rule").asText().replace("|", "\\|")).append("`)\n"));
      out.append('\n');
    }
  }

  private static void bound(List<String> notes, JsonNode node, String key, String label) {
    if (node.has(key)) {
      String value = node.get(key).decimalValue().stripTrailingZeros().toPlainString();
      notes.add((label.contains("%s") ? label.formatted(value) : label + " " + value) + ".");
    }
  }

  private static String type(JsonNode node) {
    String type = node.path("type").asText("any");
    if (node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      return "object (free-form)";
    }
    if (type.equals("array")) {
      return "list of " + type(node.path("items"));
    }
    if (type.equals("object") && node.path("additionalProperties").isObject()) {
      return "map of " + type(node.get("additionalProperties"));
    }
    return type;
  }

  private static String escape(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  private static JsonNode read(String yaml) {
    try {
      return new YAMLMapper().readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
