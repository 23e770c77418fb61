package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.compiler.ConfigCompiler;
import dev.switchboard.manifest.ManifestReader;
import dev.switchboard.proxy.local.LocalMode;
import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.testing.TestProxy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local mode serves files, follows edits, and keeps the last good config when an edit breaks it. */
class LocalModeTest {
  private static final String BACKEND = """
      apiVersion: switchboard.dev/v1alpha1
      kind: ChatBackend
      metadata: {name: mock}
      spec: {provider: mock, models: [{name: echo}]}
      """;
  private static final String ROUTE = """
      apiVersion: switchboard.dev/v1alpha1
      kind: ModelRoute
      metadata: {name: chat}
      spec: {model: %s, targets: [{backendRef: {name: mock}, model: echo}]}
      """;

  private static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  @Test
  void servesFollowsEditsAndRefusesBadOnes(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("backend.yaml"), BACKEND);
    Files.writeString(dir.resolve("route.yaml"), ROUTE.formatted("first"));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
    try (TestProxy proxy = TestProxy.start(Settings.defaults().withAdminToken("t").inLocalMode());
         LocalMode mode = new LocalMode(dir, new ManifestReader(TestProxy.VALIDATOR, n -> Optional.of("env-" + n)),
             new ConfigCompiler(TestProxy.VALIDATOR), proxy.context().holder(), out)) {
      LocalMode.Load start = mode.start();
      assertThat(start.applied()).isTrue();
      assertThat(console.toString()).contains("first -> failover: default/mock model echo", "problems: none");
      assertThat(proxy.chat(chat("first")).status()).isEqualTo(200);
      mode.watch(Duration.ofMillis(50));

      Files.writeString(dir.resolve("route.yaml"), ROUTE.formatted("second"));
      await().atMost(Duration.ofSeconds(10)).until(() -> proxy.chat(chat("second")).status() == 200);
      assertThat(proxy.chat(chat("first")).status()).isEqualTo(404);
      assertThat(console.toString()).contains("Reloaded");

      Files.writeString(dir.resolve("route.yaml"), "apiVersion: switchboard.dev/v1alpha1\nkind: ModelRoute\nmetadata: {name: chat\n");
      await().atMost(Duration.ofSeconds(10)).until(() -> console.toString().contains("Reload refused"));
      assertThat(console.toString()).contains("invalid YAML");
      assertThat(proxy.chat(chat("second")).status()).as("the last good config stays").isEqualTo(200);

      Files.writeString(dir.resolve("route.yaml"), ROUTE.formatted("third").replace("model: echo", "model: missing"));
      await().atMost(Duration.ofSeconds(10)).until(() -> console.toString().contains("does not list model \"missing\""));
      assertThat(proxy.chat(chat("second")).status()).isEqualTo(200);

      Files.writeString(dir.resolve("route.yaml"), ROUTE.formatted("fourth"));
      await().atMost(Duration.ofSeconds(10)).until(() -> proxy.chat(chat("fourth")).status() == 200);
      assertThat(proxy.admin("PUT", "/admin/config", "{}", "Authorization", "Bearer t").status())
          .as("no pushes in local mode").isEqualTo(409);
    }
  }

  @Test
  void anEmptiedFileKeepsTheLastGoodConfigAndADeletedOneApplies(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("backend.yaml"), BACKEND);
    Files.writeString(dir.resolve("route.yaml"), ROUTE.formatted("kept"));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    try (TestProxy proxy = TestProxy.start(Settings.defaults().inLocalMode());
         LocalMode mode = new LocalMode(dir, new ManifestReader(TestProxy.VALIDATOR, n -> Optional.empty()),
             new ConfigCompiler(TestProxy.VALIDATOR), proxy.context().holder(), new PrintStream(console, true, StandardCharsets.UTF_8))) {
      assertThat(mode.start().applied()).isTrue();
      // An editor truncates the file before it writes the new text: that moment must not serve 0 routes.
      Files.writeString(dir.resolve("route.yaml"), "");
      LocalMode.Load truncated = mode.reload();
      assertThat(truncated.applied()).isFalse();
      assertThat(truncated.newProblems()).singleElement().asString().contains("route.yaml: the file is empty");
      assertThat(proxy.chat(chat("kept")).status()).isEqualTo(200);

      Files.delete(dir.resolve("route.yaml"));
      LocalMode.Load deleted = mode.reload();
      assertThat(deleted.applied()).as("deleting a file is a deliberate edit").isTrue();
      assertThat(console.toString()).contains("0 routes (1 fewer than before).");
      assertThat(proxy.chat(chat("kept")).status()).isEqualTo(404);
    }
  }

  @Test
  void aProblemPresentAtStartDoesNotBlockLaterEdits(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("backend.yaml"), BACKEND);
    Files.writeString(dir.resolve("route.yaml"), ROUTE.formatted("good"));
    Files.writeString(dir.resolve("broken.yaml"), "apiVersion: switchboard.dev/v1alpha1\nkind: ChatBackend\nmetadata: {name: x}\nspec: {provider: bedrock, models: [{name: m}]}\n");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    try (TestProxy proxy = TestProxy.start(Settings.defaults().inLocalMode());
         LocalMode mode = new LocalMode(dir, new ManifestReader(TestProxy.VALIDATOR, n -> Optional.empty()),
             new ConfigCompiler(TestProxy.VALIDATOR), proxy.context().holder(), new PrintStream(console, true, StandardCharsets.UTF_8))) {
      LocalMode.Load start = mode.start();
      assertThat(start.problems()).singleElement().asString().contains("broken.yaml document 1 (ChatBackend default/x): spec.provider");
      assertThat(console.toString()).contains("    ! ");
      assertThat(proxy.chat(chat("good")).status()).isEqualTo(200);
      Files.writeString(dir.resolve("route.yaml"), ROUTE.formatted("better"));
      LocalMode.Load reload = mode.reload();
      assertThat(reload.applied()).isTrue();
      assertThat(proxy.chat(chat("better")).status()).isEqualTo(200);
    }
  }
}
