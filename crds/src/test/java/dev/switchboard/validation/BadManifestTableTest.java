package dev.switchboard.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.TestManifests;
import dev.switchboard.compiler.Compilation;
import dev.switchboard.compiler.Problem;
import dev.switchboard.manifest.ManifestProblem;
import dev.switchboard.manifest.ManifestSet;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input table: each file in src/test/resources/bad-manifests is a manifest a user might
 * write, headed by the exact problems ("# expect: field: message") that reading and compiling it
 * must report, no more and no fewer.
 */
class BadManifestTableTest {
  static Stream<Path> cases() throws IOException, URISyntaxException {
    Path dir = Path.of(BadManifestTableTest.class.getResource("/bad-manifests").toURI());
    return TestManifests.yamlFiles(dir).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsExactlyTheExpectedProblems(Path file) throws IOException {
    String text = Files.readString(file);
    List<String> expected = text.lines()
        .filter(l -> l.startsWith("# expect: "))
        .map(l -> l.substring("# expect: ".length()))
        .toList();
    assertThat(expected).as("a case must say what it expects").isNotEmpty();

    ManifestSet set = TestManifests.reader().read(file.getFileName().toString(), text);
    Compilation compilation = TestManifests.compile(set);
    List<String> reported = new ArrayList<>();
    set.problems().stream().map(ManifestProblem::detail).forEach(reported::add);
    compilation.problems().stream().map(Problem::detail).forEach(reported::add);

    assertThat(reported).containsExactlyElementsOf(expected);
  }

  @Test
  void theTableHasAtLeastFortyCases() throws Exception {
    assertThat(cases().count()).isGreaterThanOrEqualTo(40);
  }
}
