package dev.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.RepoFiles;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed CRDs must be exactly what the API classes generate. */
class CrdDriftTest {
  @Test
  void committedCrdsMatchTheClasses() {
    Map<String, String> generated = GeneratedCrds.generate();
    assertThat(generated).containsOnlyKeys("chatbackends.switchboard.dev.yaml", "modelroutes.switchboard.dev.yaml", "clientkeys.switchboard.dev.yaml");
    generated.forEach((file, yaml) -> assertThat(RepoFiles.checkGenerated("crds/" + file, yaml)).as(file).isEmpty());
  }

  @Test
  void referenceDocMatchesTheCrds() {
    assertThat(RepoFiles.checkGenerated("docs/reference.md", ReferenceDoc.render(GeneratedCrds.generate()))).isEmpty();
  }
}
