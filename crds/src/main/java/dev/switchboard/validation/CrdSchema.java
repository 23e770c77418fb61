package dev.switchboard.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One CRD version's structural schema with its CEL rules compiled, keyed by the schema node they
 * sit on so that a walk over a resource finds them without re-parsing.
 */
final class CrdSchema {
  /** A rule with its compiled rule and message programs. */
  record CompiledRule(CelRule rule, CelRuntime.Program program, CelRuntime.Program messageProgram) {}

  private final String kind;
  private final String apiVersion;
  private final JsonNode root;
  private final Map<JsonNode, List<CompiledRule>> rulesByNode = new IdentityHashMap<>();
  private final List<CelRule> rules = new ArrayList<>();

  CrdSchema(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    this.kind = spec.path("names").path("kind").asText();
    JsonNode version = null;
    for (JsonNode v : spec.path("versions")) {
      if (v.path("storage").asBoolean(false) || version == null) {
        version = v;
      }
    }
    if (kind.isEmpty() || version == null) {
      throw new IllegalArgumentException("not a CustomResourceDefinition with a kind and a version");
    }
    this.apiVersion = spec.path("group").asText() + "/" + version.path("name").asText();
    this.root = version.path("schema").path("openAPIV3Schema");
    collectRules(root, "");
  }

  String kind() {
    return kind;
  }

  String apiVersion() {
    return apiVersion;
  }

  JsonNode root() {
    return root;
  }

  List<CompiledRule> rulesAt(JsonNode schemaNode) {
    return rulesByNode.getOrDefault(schemaNode, List.of());
  }

  List<CelRule> rules() {
    return List.copyOf(rules);
  }

  private void collectRules(JsonNode schema, String path) {
    List<CompiledRule> compiled = new ArrayList<>();
    for (JsonNode v : schema.path("x-kubernetes-validations")) {
      CelRule rule =
          new CelRule(
              kind,
              path.isEmpty() ? "." : path,
              v.path("rule").asText(),
              v.path("message").asText(""),
              v.path("messageExpression").asText(""),
              v.path("fieldPath").asText(""));
      CelRuntime.Program messageProgram =
          rule.messageExpression().isEmpty() ? null : CelPrograms.compile(rule.messageExpression());
      compiled.add(new CompiledRule(rule, CelPrograms.compile(rule.rule()), messageProgram));
      rules.add(rule);
    }
    if (!compiled.isEmpty()) {
      rulesByNode.put(schema, List.copyOf(compiled));
    }
    schema.path("properties").fields().forEachRemaining(
        e -> collectRules(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey()));
    if (schema.has("items")) {
      collectRules(schema.get("items"), path + "[*]");
    }
    if (schema.path("additionalProperties").isObject()) {
      collectRules(schema.get("additionalProperties"), path + "[*]");
    }
  }
}
