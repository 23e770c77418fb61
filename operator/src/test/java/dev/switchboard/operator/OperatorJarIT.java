package dev.switchboard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator as its container image runs it: the layout {@code ./switchboard image-layout}
 * makes (a jlinked runtime with only the modules the operator uses, started with the image's
 * entrypoint arguments), finding its cluster through KUBECONFIG and doing its job.
 */
class OperatorJarIT {
  private static final Path IMAGE = Path.of("target/image").toAbsolutePath();

  @Test
  void theImageRunsAgainstTheClusterInItsKubeconfig(@TempDir Path dir) throws Exception {
    Path repo = Path.of(System.getProperty("switchboard.repoRoot", "..")).toAbsolutePath();
    Process layout = new ProcessBuilder("bash", repo.resolve("switchboard").toString(), "image-layout", "operator", IMAGE.toString(),
        "--no-build").redirectErrorStream(true).redirectOutput(dir.resolve("layout.log").toFile()).start();
    assertThat(layout.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(layout.exitValue()).as(Files.readString(dir.resolve("layout.log"))).isZero();
    assertThat(Files.readString(repo.resolve("operator/Dockerfile")))
        .contains("image-layout operator /opt/switchboard", "ENTRYPOINT [\"/opt/switchboard/runtime/bin/java\", \"@/opt/switchboard/app/java.args\"]",
            "USER 65532");

    KubernetesMockServer server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(),
        new io.fabric8.mockwebserver.MockWebServer(), new java.util.HashMap<>(),
        new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher(), false);
    server.init();
    try (KubernetesClient client = server.createClient()) {
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          clusters:
          - name: mock
            cluster: {server: "%s", insecure-skip-tls-verify: true}
          contexts:
          - name: mock
            context: {cluster: mock, namespace: switchboard, user: test}
          current-context: mock
          users:
          - name: test
            user: {token: test}
          """.formatted(client.getMasterUrl().toString()));
      int port = dev.switchboard.proxy.testing.TestProxy.closedPort();
      List<String> command = List.of(IMAGE.resolve("runtime/bin/java").toString(), "@" + IMAGE.resolve("app/java.args"));
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
      pb.environment().put("KUBECONFIG", kubeconfig.toString());
      pb.environment().put("SWITCHBOARD_ADMIN_TOKEN", "jar-test-token");
      pb.environment().put("SWITCHBOARD_OPERATOR_PORT", Integer.toString(port));
      pb.environment().remove("POD_NAMESPACE");
      Process operator = pb.start();
      HttpClient http = HttpClient.newHttpClient();
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> status(http, port, "/readyz") == 200 || !operator.isAlive());
        assertThat(operator.isAlive()).as(Files.readString(dir.resolve("out.log"))).isTrue();
        assertThat(status(http, port, "/healthz")).isEqualTo(200);
        OperatorHarness.apply(client, """
            apiVersion: switchboard.dev/v1alpha1
            kind: ChatBackend
            metadata: {name: mock}
            spec: {provider: mock, models: [{name: echo}]}
            """);
        await().atMost(Duration.ofSeconds(30)).until(() -> OperatorHarness.backend(client, "default", "mock").getStatus() != null);
        assertThat(client.secrets().inNamespace("switchboard").withName("switchboard-routing-snapshot").get())
            .as("the proxy namespace defaults to the kubeconfig's").isNotNull();
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("switchboard_operator_compile_duration_seconds_count", "operator_sdk",
            "switchboard_operator_proxies");
        String log = Files.readString(dir.resolve("out.log"));
        assertThat(log).doesNotContain("jar-test-token").doesNotContain("WARNING: sun.misc").doesNotContain("Exception");
      } finally {
        operator.destroy();
        assertThat(operator.waitFor(20, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      server.destroy();
    }
  }

  private static int status(HttpClient http, int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
