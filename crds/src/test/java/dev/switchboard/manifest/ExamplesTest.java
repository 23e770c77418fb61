package dev.switchboard.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.RepoFiles;
import dev.switchboard.TestManifests;
import dev.switchboard.compiler.Compilation;
import dev.switchboard.config.RouteConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example folder reads and compiles without a single problem, and serves routes. */
class ExamplesTest {
  static Stream<Path> examples() throws IOException {
    try (Stream<Path> dirs = Files.list(RepoFiles.path("examples"))) {
      return dirs.filter(Files::isDirectory).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void readsAndCompilesCleanly(Path example) {
    ManifestSet set = TestManifests.reader().read(example);
    assertThat(set.problems()).isEmpty();
    Compilation compilation = TestManifests.compile(set);
    assertThat(compilation.problems()).isEmpty();
    assertThat(compilation.config().backends()).isNotEmpty();
    assertThat(compilation.config().routes()).isNotEmpty();
    List<String> served = compilation.config().routes().stream().map(RouteConfig::name).toList();
    assertThat(served).hasSameSizeAs(set.routes());
  }
}
