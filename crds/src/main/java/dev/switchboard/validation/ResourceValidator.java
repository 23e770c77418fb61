package dev.switchboard.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates switchboard.dev resources against their CRDs: metadata, the spec's structural schema
 * (with defaults applied), and the CEL rules. Thread-safe; build once and share.
 */
public final class ResourceValidator {
  /** Where the committed CRDs travel in the crds jar. */
  public static final String CRD_RESOURCE_DIR = "META-INF/switchboard/crds/";
  public static final List<String> CRD_FILES =
      List.of("chatbackends.switchboard.dev.yaml", "modelroutes.switchboard.dev.yaml", "clientkeys.switchboard.dev.yaml");

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final Set<String> TOP_LEVEL_FIELDS = Set.of("apiVersion", "kind", "metadata", "spec", "status");

  private final Map<String, CrdSchema> schemas;

  private ResourceValidator(Map<String, CrdSchema> schemas) {
    this.schemas = schemas;
  }

  /** The validator for the CRDs shipped in this jar. */
  public static ResourceValidator fromClasspath() {
    List<JsonNode> crds = new ArrayList<>();
    ObjectMapper yaml = new YAMLMapper();
    for (String file : CRD_FILES) {
      try (InputStream in = ResourceValidator.class.getClassLoader().getResourceAsStream(CRD_RESOURCE_DIR + file)) {
        if (in == null) {
          throw new IllegalStateException("CRD " + file + " is missing from the classpath; the crds jar is incomplete");
        }
        crds.add(yaml.readTree(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read CRD " + file, e);
      }
    }
    return fromCrds(crds);
  }

  /** A validator for the given CustomResourceDefinition documents. */
  public static ResourceValidator fromCrds(Collection<JsonNode> crds) {
    Map<String, CrdSchema> schemas = new LinkedHashMap<>();
    for (JsonNode crd : crds) {
      CrdSchema schema = new CrdSchema(crd);
      schemas.put(schema.kind(), schema);
    }
    return new ResourceValidator(Map.copyOf(schemas));
  }

  public Set<String> kinds() {
    return schemas.keySet();
  }

  /** The apiVersion the CRD of {@code kind} serves, if this validator knows the kind. */
  public Optional<String> apiVersionOf(String kind) {
    return Optional.ofNullable(schemas.get(kind)).map(CrdSchema::apiVersion);
  }

  /** Every CEL rule of every kind, in schema order. */
  public List<CelRule> rules() {
    List<CelRule> all = new ArrayList<>();
    schemas.values().forEach(s -> all.addAll(s.rules()));
    return all;
  }

  public Validation validate(JsonNode object) {
    return validate(object, RuleObserver.NONE);
  }

  /**
   * Validates one resource (a mapping with apiVersion, kind, metadata and spec). The returned
   * object is a copy with schema defaults applied; the input is not modified.
   */
  public Validation validate(JsonNode object, RuleObserver observer) {
    String kind = object.path("kind").asText("");
    CrdSchema schema = schemas.get(kind);
    if (schema == null) {
      throw new IllegalArgumentException("no CRD for kind '" + kind + "'; known kinds: " + schemas.keySet());
    }
    ObjectNode copy = object.deepCopy();
    SchemaWalk walk = new SchemaWalk(schema, observer);
    checkMetadata(copy.get("metadata"), walk);
    copy.fieldNames().forEachRemaining(name -> {
      if (!TOP_LEVEL_FIELDS.contains(name)) {
        walk.add(name, "unknown field; expected one of: apiVersion, kind, metadata, spec");
      }
    });
    JsonNode specSchema = schema.root().path("properties").path("spec");
    JsonNode spec = copy.get("spec");
    if (spec == null || spec.isNull()) {
      walk.add("spec", "Required value");
    } else {
      walk.walk(specSchema, spec, "spec");
    }
    return new Validation(copy, walk.violations());
  }

  private static void checkMetadata(JsonNode metadata, SchemaWalk walk) {
    if (metadata == null || !metadata.isObject()) {
      walk.add("metadata.name", "Required value");
      return;
    }
    JsonNode name = metadata.get("name");
    if (name == null || name.isNull() || name.asText().isEmpty()) {
      walk.add("metadata.name", "Required value");
    } else if (!name.isTextual() || name.asText().length() > 253 || !DNS_SUBDOMAIN.matcher(name.asText()).matches()) {
      walk.add("metadata.name",
          "must be a lower-case name of at most 253 characters: letters, digits, '-' and '.', starting and ending with a letter or digit");
    }
    JsonNode namespace = metadata.get("namespace");
    if (namespace != null && !namespace.isNull()
        && (!namespace.isTextual() || namespace.asText().length() > 63 || !DNS_LABEL.matcher(namespace.asText()).matches())) {
      walk.add("metadata.namespace",
          "must be a lower-case name of at most 63 characters: letters, digits and '-', starting and ending with a letter or digit");
    }
  }
}
