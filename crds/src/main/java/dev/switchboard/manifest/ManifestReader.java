package dev.switchboard.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.api.v1alpha1.ChatBackend;
import dev.switchboard.api.v1alpha1.ClientKey;
import dev.switchboard.api.v1alpha1.ModelRoute;
import dev.switchboard.compiler.ResourceRef;
import dev.switchboard.config.SecretValue;
import dev.switchboard.validation.ResourceValidator;
import dev.switchboard.validation.Validation;
import dev.switchboard.validation.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reads ChatBackend, ModelRoute, ClientKey, Secret and ConfigMap manifests from a file or a folder (every {@code .yaml}
 * and {@code .yml} below it, in path order). Each document is judged on its own: a bad one is
 * reported and left out, the rest are read. Thread-safe.
 */
public final class ManifestReader {
  private static final ObjectMapper YAML =
      YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper BINDER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final ResourceValidator validator;
  private final EnvironmentExpansion expansion;

  public ManifestReader(ResourceValidator validator, Function<String, Optional<String>> environment) {
    this.validator = validator;
    this.expansion = new EnvironmentExpansion(environment);
  }

  /** A reader that expands {@code ${NAME}} from this process's environment. */
  public static ManifestReader withSystemEnvironment(ResourceValidator validator) {
    return new ManifestReader(validator, name -> Optional.ofNullable(System.getenv(name)));
  }

  /** Reads a manifest file, or every manifest file under a folder. */
  public ManifestSet read(Path path) {
    Accumulator acc = new Accumulator();
    if (!Files.exists(path)) {
      acc.problem(path.toString(), 0, "", "", "no such file or folder");
      return acc.result();
    }
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(path)) {
      try (Stream<Path> walk = Files.walk(path)) {
        walk.filter(Files::isRegularFile)
            .filter(p -> isManifest(path.relativize(p)))
            .sorted()
            .forEach(files::add);
      } catch (IOException | java.io.UncheckedIOException e) {
        acc.problem(path.toString(), 0, "", "", "cannot list the folder: " + e.getMessage());
        return acc.result();
      }
      if (files.isEmpty()) {
        acc.problem(path.toString(), 0, "", "", "the folder holds no .yaml or .yml files");
      }
    } else {
      files.add(path);
    }
    for (Path file : files) {
      try {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.isBlank()) {
          // An editor truncates a file before writing it; serving that moment would drop its routes.
          // Deleting the file is how to remove what it declared.
          acc.problem(file.toString(), 0, "", "", "the file is empty (delete it to remove what it declared)");
          continue;
        }
        readInto(acc, file.toString(), text);
      } catch (IOException | java.io.UncheckedIOException e) {
        acc.problem(file.toString(), 0, "", "", "cannot read the file: " + e.getClass().getSimpleName());
      }
    }
    return acc.result();
  }

  /** Reads manifests from text; {@code source} names it in problems. */
  public ManifestSet read(String source, String yaml) {
    Accumulator acc = new Accumulator();
    readInto(acc, source, yaml);
    return acc.result();
  }

  private static boolean isManifest(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return false; // hidden folders (.git) and editor swap files
      }
    }
    String name = relative.getFileName().toString();
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  private void readInto(Accumulator acc, String source, String yaml) {
    // One tree per YAML document. (A MappingIterator would unwrap a top-level list into
    // separate values, turning a malformed document into several plausible ones.)
    int document = 0;
    try (JsonParser parser = YAML.getFactory().createParser(yaml)) {
      while (parser.nextToken() != null) {
        document++;
        JsonNode node = YAML.readTree(parser);
        readDocument(acc, source, document, node);
      }
    } catch (JsonProcessingException e) {
      acc.problem(source, document + 1, "", "", YamlErrors.describe(e));
    } catch (IOException e) {
      acc.problem(source, 0, "", "", "cannot read: " + e.getClass().getSimpleName());
    } catch (RuntimeException e) {
      acc.problem(source, document + 1, "", "", YamlErrors.describe(e));
    }
  }

  private void readDocument(Accumulator acc, String source, int document, JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return; // an empty document, for example after a trailing ---
    }
    if (!node.isObject()) {
      acc.problem(source, document, "", "", "is not a Kubernetes object: expected a mapping with apiVersion and kind");
      return;
    }
    String kind = node.path("kind").asText("");
    String apiVersion = node.path("apiVersion").asText("");
    if (kind.isEmpty()) {
      acc.problem(source, document, "", "kind", "Required value: every document needs a kind (ChatBackend, ModelRoute, ClientKey, Secret or ConfigMap)");
      return;
    }
    if (kind.equals("List") && node.path("items").isArray()) {
      node.get("items").forEach(item -> readDocument(acc, source, document, item));
      return;
    }
    String label = kind + " " + describeName(node);
    if (kind.equals("Secret") || kind.equals("ConfigMap")) {
      if (!apiVersion.equals("v1")) {
        acc.problem(source, document, label, "apiVersion", "a " + kind + " has apiVersion v1, not \"" + apiVersion + "\"");
        return;
      }
      if (kind.equals("Secret")) {
        readSecret(acc, source, document, label, (ObjectNode) node);
      } else {
        readConfigMap(acc, source, document, label, (ObjectNode) node);
      }
      return;
    }
    Optional<String> expected = validator.apiVersionOf(kind);
    if (expected.isEmpty()) {
      acc.problem(source, document, label, "kind", "unsupported kind \"" + kind
          + "\": local mode reads ChatBackend, ModelRoute, ClientKey, Secret and ConfigMap");
      return;
    }
    if (!apiVersion.equals(expected.get())) {
      acc.problem(source, document, label, "apiVersion",
          "a " + kind + " has apiVersion " + expected.get() + ", not \"" + apiVersion + "\"");
      return;
    }
    Validation validation = validator.validate(node);
    if (!validation.valid()) {
      for (Violation v : validation.violations()) {
        acc.problem(source, document, label, v.field(), v.message());
      }
      return;
    }
    ObjectNode object = (ObjectNode) validation.object();
    object.remove("status"); // like kubectl apply: status is the operator's, not the manifest's
    ObjectNode metadata = (ObjectNode) object.get("metadata");
    if (!metadata.hasNonNull("namespace")) {
      metadata.put("namespace", ResourceRef.DEFAULT_NAMESPACE);
    }
    try {
      if (kind.equals(ChatBackend.KIND)) {
        acc.backend(BINDER.treeToValue(object, ChatBackend.class), new Origin(source, document));
      } else if (kind.equals(ClientKey.KIND)) {
        acc.clientKey(BINDER.treeToValue(object, ClientKey.class), new Origin(source, document));
      } else {
        acc.route(BINDER.treeToValue(object, ModelRoute.class), new Origin(source, document));
      }
    } catch (JsonProcessingException | IllegalArgumentException e) {
      acc.problem(source, document, label, "", "cannot be read: " + YamlErrors.describe(e));
    }
  }

  private void readSecret(Accumulator acc, String source, int document, String label, ObjectNode node) {
    String name = node.path("metadata").path("name").asText("");
    if (name.isEmpty()) {
      acc.problem(source, document, label, "metadata.name", "Required value");
      return;
    }
    String namespace = node.path("metadata").path("namespace").asText(ResourceRef.DEFAULT_NAMESPACE);
    Map<String, SecretValue> data = new LinkedHashMap<>();
    boolean ok = true;
    JsonNode encoded = node.path("data");
    for (var it = encoded.fields(); it.hasNext(); ) {
      var entry = it.next();
      if (!entry.getValue().isTextual()) {
        acc.problem(source, document, label, "data." + entry.getKey(), "must be a base64 string");
        ok = false;
        continue;
      }
      try {
        String decoded = new String(Base64.getDecoder().decode(entry.getValue().textValue().strip()), StandardCharsets.UTF_8);
        ok &= expandInto(acc, source, document, label, "data." + entry.getKey(), entry.getKey(), decoded, data);
      } catch (IllegalArgumentException e) {
        acc.problem(source, document, label, "data." + entry.getKey(),
            "is not valid base64 (use stringData for plain text)");
        ok = false;
      }
    }
    JsonNode plain = node.path("stringData");
    for (var it = plain.fields(); it.hasNext(); ) {
      var entry = it.next();
      if (!entry.getValue().isTextual()) {
        acc.problem(source, document, label, "stringData." + entry.getKey(), "must be a string (quote numbers and booleans)");
        ok = false;
        continue;
      }
      ok &= expandInto(acc, source, document, label, "stringData." + entry.getKey(), entry.getKey(),
          entry.getValue().textValue(), data);
    }
    acc.secret(namespace + "/" + name, data, new Origin(source, document), ok);
  }

  /** A ConfigMap's data, as written (no ${ENV} expansion: ConfigMaps hold no secrets); binaryData decoded as UTF-8. */
  private void readConfigMap(Accumulator acc, String source, int document, String label, ObjectNode node) {
    String name = node.path("metadata").path("name").asText("");
    if (name.isEmpty()) {
      acc.problem(source, document, label, "metadata.name", "Required value");
      return;
    }
    String namespace = node.path("metadata").path("namespace").asText(ResourceRef.DEFAULT_NAMESPACE);
    Map<String, String> data = new LinkedHashMap<>();
    for (var it = node.path("data").fields(); it.hasNext(); ) {
      var entry = it.next();
      if (!entry.getValue().isTextual()) {
        acc.problem(source, document, label, "data." + entry.getKey(), "must be a string (quote numbers and booleans)");
        continue;
      }
      data.put(entry.getKey(), entry.getValue().textValue());
    }
    for (var it = node.path("binaryData").fields(); it.hasNext(); ) {
      var entry = it.next();
      try {
        data.put(entry.getKey(), new String(Base64.getDecoder().decode(entry.getValue().asText("").strip()), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        acc.problem(source, document, label, "binaryData." + entry.getKey(), "is not valid base64");
      }
    }
    acc.configMap(namespace + "/" + name, data, new Origin(source, document));
  }

  private boolean expandInto(Accumulator acc, String source, int document, String label, String field, String key,
      String value, Map<String, SecretValue> data) {
    try {
      data.put(key, SecretValue.of(expansion.expand(value)));
      return true;
    } catch (IllegalArgumentException e) {
      acc.problem(source, document, label, field, e.getMessage());
      return false;
    }
  }

  private static String describeName(JsonNode node) {
    JsonNode metadata = node.path("metadata");
    String name = metadata.path("name").asText("");
    String namespace = metadata.path("namespace").asText(ResourceRef.DEFAULT_NAMESPACE);
    return namespace + "/" + (name.isEmpty() ? "<no name>" : name);
  }

  /** Collects resources in order, rejecting the second definition of a name. */
  private static final class Accumulator {
    private final List<ChatBackend> backends = new ArrayList<>();
    private final List<ModelRoute> routes = new ArrayList<>();
    private final List<ClientKey> clientKeys = new ArrayList<>();
    private final Map<String, Map<String, SecretValue>> secrets = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> configMaps = new LinkedHashMap<>();
    private final Map<ResourceRef, Origin> origins = new LinkedHashMap<>();
    private final List<ManifestProblem> problems = new ArrayList<>();

    void problem(String source, int document, String resource, String field, String message) {
      problems.add(new ManifestProblem(source, document, resource, field, message));
    }

    void backend(ChatBackend backend, Origin origin) {
      if (claim(ResourceRef.of(backend), origin)) {
        backends.add(backend);
      }
    }

    void route(ModelRoute route, Origin origin) {
      if (claim(ResourceRef.of(route), origin)) {
        routes.add(route);
      }
    }

    void clientKey(ClientKey clientKey, Origin origin) {
      if (claim(ResourceRef.of(clientKey), origin)) {
        clientKeys.add(clientKey);
      }
    }

    void secret(String id, Map<String, SecretValue> data, Origin origin, boolean complete) {
      int slash = id.indexOf('/');
      if (claim(new ResourceRef("Secret", id.substring(0, slash), id.substring(slash + 1)), origin)) {
        // A Secret with a broken key still offers its good keys; the backend using the broken
        // one then reports the key as missing, next to the problem that explains why.
        secrets.put(id, Map.copyOf(data));
      }
    }

    void configMap(String id, Map<String, String> data, Origin origin) {
      int slash = id.indexOf('/');
      if (claim(new ResourceRef("ConfigMap", id.substring(0, slash), id.substring(slash + 1)), origin)) {
        configMaps.put(id, Map.copyOf(data));
      }
    }

    private boolean claim(ResourceRef ref, Origin origin) {
      Origin first = origins.putIfAbsent(ref, origin);
      if (first != null) {
        problem(origin.source(), origin.document(), ref.toString(), "metadata.name",
            "is defined twice; the first definition, in " + first + ", is used");
        return false;
      }
      return true;
    }

    ManifestSet result() {
      return new ManifestSet(backends, routes, clientKeys, secrets, configMaps, origins, problems);
    }
  }
}
