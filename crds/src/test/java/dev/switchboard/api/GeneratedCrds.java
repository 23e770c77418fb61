package dev.switchboard.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.api.v1alpha1.ChatBackend;
import dev.switchboard.api.v1alpha1.ClientKey;
import dev.switchboard.api.v1alpha1.ModelRoute;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Generates the CRD YAML from the API classes, as committed at crds/*.yaml. */
public final class GeneratedCrds {
  private static final List<Class<? extends CustomResource<?, ?>>> RESOURCES = List.of(ChatBackend.class, ModelRoute.class, ClientKey.class);
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
          .disable(YAMLGenerator.Feature.SPLIT_LINES)
          .build();
  private static final String HEADER =
      "# Generated from crds/src/main/java/dev/switchboard/api/v1alpha1 by the CRD drift test. Do not edit:\n"
          + "# change the classes, then run ./switchboard mvn -pl crds test -Dswitchboard.regenerate=true\n";

  private GeneratedCrds() {}

  /** File name (for example chatbackends.switchboard.dev.yaml) to YAML text. */
  public static Map<String, String> generate() {
    try {
      Path dir = Files.createTempDirectory("crds");
      new CRDGenerator()
          .inOutputDir(dir.toFile())
          .forCRDVersions("v1")
          .customResourceClasses(RESOURCES.toArray(Class[]::new))
          .detailedGenerate();
      Map<String, String> out = new LinkedHashMap<>();
      for (Class<? extends CustomResource<?, ?>> type : RESOURCES) {
        String name = CustomResource.getCRDName(type);
        ObjectNode crd = (ObjectNode) YAML.readTree(dir.resolve(name + "-v1.yml").toFile());
        out.put(name + ".yaml", HEADER + YAML.writeValueAsString(finish(crd, type)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What the generator cannot express through annotations, or gets wrong for records: the root
   * description, a required spec, printer columns in declaration order (it sorts them), CEL rules
   * listed once (on a record component the annotation lands on field and accessor alike), and
   * free-form parameter fields typed as objects rather than anything at all.
   */
  private static JsonNode finish(ObjectNode crd, Class<?> type) {
    for (JsonNode version : crd.path("spec").path("versions")) {
      ObjectNode schema = (ObjectNode) version.path("schema").path("openAPIV3Schema");
      ObjectNode reordered = schema.objectNode();
      JsonClassDescription description = type.getAnnotation(JsonClassDescription.class);
      if (description != null) {
        reordered.put("description", description.value());
      }
      reordered.setAll(schema);
      reordered.putArray("required").add("spec");
      schema.removeAll();
      schema.setAll(reordered);
      normalize(schema);
      orderColumns((ObjectNode) version, type);
    }
    return crd;
  }

  private static void normalize(JsonNode schema) {
    if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false) && !schema.has("type")) {
      ((ObjectNode) schema).put("type", "object");
    }
    if (schema.get("x-kubernetes-validations") instanceof ArrayNode rules) {
      Set<JsonNode> seen = new LinkedHashSet<>();
      rules.forEach(seen::add);
      rules.removeAll();
      seen.forEach(rules::add);
    }
    schema.path("properties").forEach(GeneratedCrds::normalize);
    if (schema.has("items")) {
      normalize(schema.get("items"));
    }
    if (schema.path("additionalProperties").isObject()) {
      normalize(schema.get("additionalProperties"));
    }
  }

  private static void orderColumns(ObjectNode version, Class<?> type) {
    if (!(version.get("additionalPrinterColumns") instanceof ArrayNode columns)) {
      return;
    }
    List<String> order = Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name)
        .toList();
    List<JsonNode> sorted = new ArrayList<>();
    columns.forEach(sorted::add);
    sorted.sort(Comparator.comparingInt(c -> order.indexOf(c.path("name").asText())));
    columns.removeAll();
    columns.addAll(sorted);
  }
}
