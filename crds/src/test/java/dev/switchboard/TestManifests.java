package dev.switchboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.compiler.Compilation;
import dev.switchboard.compiler.ConfigCompiler;
import dev.switchboard.manifest.ManifestReader;
import dev.switchboard.manifest.ManifestSet;
import dev.switchboard.validation.ResourceValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Shared fixtures: one validator, readers with a fixed environment, and YAML documents of test files. */
public final class TestManifests {
  public static final ResourceValidator VALIDATOR = ResourceValidator.fromClasspath();
  public static final ConfigCompiler COMPILER = new ConfigCompiler(VALIDATOR);
  /** Values the examples' ${...} references expand to in tests. */
  public static final Map<String, String> ENV = Map.of(
      "OPENAI_API_KEY", "sk-test-openai",
      "AZURE_OPENAI_API_KEY", "test-azure",
      "ANTHROPIC_API_KEY", "sk-ant-test",
      "GEMINI_API_KEY", "test-gemini",
      "TEAM_SEARCH_KEY", "sk-sb-test-search",
      "TEAM_BATCH_KEY", "sk-sb-test-batch");

  private TestManifests() {}

  public static ManifestReader reader() {
    return reader(ENV);
  }

  public static ManifestReader reader(Map<String, String> env) {
    return new ManifestReader(VALIDATOR, name -> Optional.ofNullable(env.get(name)));
  }

  public static ManifestSet read(String yaml) {
    return reader().read("test.yaml", yaml);
  }

  public static Compilation compile(ManifestSet set) {
    return COMPILER.compile(set.backends(), set.routes(), set.clientKeys(), set.secretLookup());
  }

  public static Compilation compile(String yaml) {
    ManifestSet set = read(yaml);
    if (!set.problems().isEmpty()) {
      throw new AssertionError("fixture does not read cleanly: " + set.problems());
    }
    return compile(set);
  }

  /** Every .yaml file under a repository folder, sorted. */
  public static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The YAML documents of a file, empty ones left out. */
  public static List<JsonNode> documents(Path file) {
    try {
      List<JsonNode> docs = new ArrayList<>();
      MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(Files.readString(file));
      while (it.hasNextValue()) {
        JsonNode n = it.nextValue();
        if (n != null && !n.isNull() && !n.isMissingNode()) {
          docs.add(n);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
