package dev.switchboard.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code helm lint --strict}: with the default values, and with every optional feature on. */
class ChartLintTest {
  @Test
  void lintsStrictlyWithDefaults() {
    LintResult result = new Helm(Chart.dir()).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void lintsStrictlyWithEveryFeatureOn(@TempDir Path temp) throws IOException {
    Path copy = temp.resolve("switchboard");
    copyTree(Chart.dir(), copy);
    JsonNode defaults = Chart.YAML.readTree(Chart.dir().resolve("values.yaml").toFile());
    JsonNode features = Chart.YAML.readTree(Chart.valuesFile("all-features").toFile());
    Chart.YAML.writeValue(copy.resolve("values.yaml").toFile(), merge((ObjectNode) defaults.deepCopy(), features));
    LintResult result = new Helm(copy).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  /** Helm's own rule: maps merge key by key, anything else replaces. */
  static JsonNode merge(ObjectNode base, JsonNode over) {
    over.fields().forEachRemaining(e -> {
      JsonNode mine = base.get(e.getKey());
      if (mine instanceof ObjectNode m && e.getValue().isObject()) {
        merge(m, e.getValue());
      } else {
        base.set(e.getKey(), e.getValue());
      }
    });
    return base;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
