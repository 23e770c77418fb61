package dev.switchboard.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.RepoFiles;
import dev.switchboard.TestManifests;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every CEL rule in the CRDs is executed with CEL-Java against a manifest it must reject (from the
 * bad-input table) and one it must accept (from examples/), so no rule is dead or always false.
 */
class CelRuleCoverageTest {
  @Test
  void everyRuleRejectsSomeTableCaseAndAcceptsTheExamples() throws Exception {
    Set<String> failed = new HashSet<>();
    Set<String> passed = new HashSet<>();
    RuleObserver observer = (rule, ok) -> (ok ? passed : failed).add(rule.id());

    Path table = Path.of(getClass().getResource("/bad-manifests").toURI());
    for (Path file : TestManifests.yamlFiles(table)) {
      validateAll(file, observer);
    }
    Set<String> passedInTable = Set.copyOf(passed);
    passed.clear(); // from here on, only the examples count as accepting manifests
    List<Path> examples = TestManifests.yamlFiles(RepoFiles.path("examples"));
    for (Path file : examples) {
      validateAll(file, observer);
    }
    List<String> rules = TestManifests.VALIDATOR.rules().stream().map(CelRule::id).toList();

    assertThat(rules).hasSizeGreaterThan(30);
    assertThat(rules).as("rules no table case breaks").allMatch(failed::contains);
    assertThat(rules).as("rules no example satisfies").allMatch(passed::contains);
    assertThat(passedInTable).isNotEmpty();
  }

  private static void validateAll(Path file, RuleObserver observer) {
    List<JsonNode> docs;
    try {
      docs = TestManifests.documents(file);
    } catch (java.io.UncheckedIOException e) {
      return; // the table's YAML syntax cases
    }
    for (JsonNode doc : docs) {
      if (TestManifests.VALIDATOR.kinds().contains(doc.path("kind").asText())
          && TestManifests.VALIDATOR.apiVersionOf(doc.path("kind").asText()).orElseThrow().equals(doc.path("apiVersion").asText())) {
        TestManifests.VALIDATOR.validate(doc, observer);
      }
    }
  }
}
