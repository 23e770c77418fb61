package dev.switchboard.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.TestManifests;
import dev.switchboard.compiler.ResourceRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
  private static final String BACKEND = """
      apiVersion: switchboard.dev/v1alpha1
      kind: ChatBackend
      metadata: {name: %s}
      spec:
        provider: mock
        models: [{name: m}]
      """;

  @Test
  void readsAFolderInPathOrderSkippingHiddenAndOtherFiles(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("b.yaml"), BACKEND.formatted("second"));
    Files.writeString(dir.resolve("a.yml"), BACKEND.formatted("first"));
    Files.createDirectories(dir.resolve("nested"));
    Files.writeString(dir.resolve("nested/c.yaml"), BACKEND.formatted("third"));
    Files.writeString(dir.resolve(".a.yaml.swp"), "garbage: [");
    Files.createDirectories(dir.resolve(".git"));
    Files.writeString(dir.resolve(".git/x.yaml"), "garbage: [");
    Files.writeString(dir.resolve("README.md"), "not yaml");

    ManifestSet set = TestManifests.reader().read(dir);
    assertThat(set.problems()).isEmpty();
    assertThat(set.backends()).extracting(b -> b.getMetadata().getName()).containsExactly("first", "second", "third");
    assertThat(set.origin(new ResourceRef("ChatBackend", "default", "second")))
        .contains(new Origin(dir.resolve("b.yaml").toString(), 1));
  }

  @Test
  void aMissingPathOrAnEmptyFolderIsOneClearProblem(@TempDir Path dir) {
    assertThat(TestManifests.reader().read(dir.resolve("nope")).problems()).extracting(ManifestProblem::toString)
        .containsExactly(dir.resolve("nope") + ": no such file or folder");
    assertThat(TestManifests.reader().read(dir).problems()).extracting(ManifestProblem::toString)
        .containsExactly(dir + ": the folder holds no .yaml or .yml files");
  }

  @Test
  void problemsNameFileDocumentResourceAndField() {
    ManifestSet set = TestManifests.reader().read("team/backends.yaml", BACKEND.formatted("ok") + "---\n"
        + BACKEND.formatted("bad").replace("provider: mock", "provider: bedrock"));
    assertThat(set.backends()).hasSize(1);
    assertThat(set.problems()).extracting(ManifestProblem::toString).containsExactly(
        "team/backends.yaml document 2 (ChatBackend default/bad): spec.provider: Unsupported value \"bedrock\": "
            + "supported values: \"anthropic\", \"azure-openai\", \"gemini\", \"mock\", \"ollama\", \"openai\", \"openai-compatible\"");
  }

  @Test
  void appliesSchemaDefaultsAndTheDefaultNamespace() {
    ManifestSet set = TestManifests.read(BACKEND.formatted("b"));
    assertThat(set.backends().get(0).getMetadata().getNamespace()).isEqualTo("default");
    assertThat(set.backends().get(0).getApiVersion()).isEqualTo("switchboard.dev/v1alpha1");
  }

  @Test
  void anEmptyFileIsAProblemNotAnEmptyConfig(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.yaml"), BACKEND.formatted("kept"));
    Files.writeString(dir.resolve("b.yaml"), "");
    Files.writeString(dir.resolve("c.yaml"), "  \n\n");
    ManifestSet set = TestManifests.reader().read(dir);
    assertThat(set.problems()).extracting(ManifestProblem::toString).containsExactly(
        dir.resolve("b.yaml") + ": the file is empty (delete it to remove what it declared)",
        dir.resolve("c.yaml") + ": the file is empty (delete it to remove what it declared)");
    assertThat(set.backends()).hasSize(1);
  }

  @Test
  void aMalformedReferenceNeverRepeatsTheSecretText() {
    ManifestSet set = TestManifests.reader(Map.of()).read("s.yaml", """
        apiVersion: v1
        kind: Secret
        metadata: {name: s}
        stringData:
          key: ${sk-ant-api03-s3cr3tValue}
          open: abc${unclosed-s3cr3tValue
        """);
    assertThat(set.problems()).hasSize(2);
    assertThat(set.problems()).extracting(ManifestProblem::toString)
        .allMatch(p -> !p.contains("s3cr3t"))
        .anyMatch(p -> p.contains("not an environment variable name"));
  }

  @Test
  void secretsDecodeDataLetStringDataWinAndExpandTheEnvironment() {
    ManifestSet set = TestManifests.reader(Map.of("KEY", "from-env")).read("s.yaml", """
        apiVersion: v1
        kind: Secret
        metadata: {name: s, namespace: team}
        data:
          encoded: aGVsbG8=
          both: b2xk
        stringData:
          both: new
          env: ${KEY}
          fallback: ${MISSING:-plan-b}
          literal: $${KEY}
          mixed: pre-${KEY}-post
        """);
    assertThat(set.problems()).isEmpty();
    Map<String, String> revealed = new java.util.TreeMap<>();
    set.secrets().get("team/s").forEach((k, v) -> revealed.put(k, v.reveal()));
    assertThat(revealed).containsExactlyInAnyOrderEntriesOf(Map.of(
        "encoded", "hello", "both", "new", "env", "from-env", "fallback", "plan-b",
        "literal", "${KEY}", "mixed", "pre-from-env-post"));
  }

  @Test
  void readsKubectlStyleLists() {
    ManifestSet set = TestManifests.read("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: switchboard.dev/v1alpha1
            kind: ChatBackend
            metadata: {name: listed}
            spec: {provider: mock, models: [{name: m}]}
        """);
    assertThat(set.problems()).isEmpty();
    assertThat(set.backends()).hasSize(1);
  }

  @Test
  void emptyDocumentsAndStatusAreIgnored() {
    ManifestSet set = TestManifests.read("---\n# only a comment\n---\n" + BACKEND.formatted("b")
        + "status: {observedGeneration: 9}\n---\n");
    assertThat(set.problems()).isEmpty();
    assertThat(set.backends().get(0).getStatus()).isNull();
  }
}
