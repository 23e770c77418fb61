package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.proxy.testing.ChildProxy;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.TestPki;
import dev.switchboard.proxy.testing.Tinyproxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream calls through a real forward proxy (tinyproxy) when HTTP_PROXY or HTTPS_PROXY says so
 * (HTTPS tunnelled with CONNECT, the upstream's certificate still verified end to end), and past
 * it for hosts in NO_PROXY: the environment variables every container tool honours, which the JVM
 * does not read by itself. A backend's own spec.proxy (with a login from a Secret, or direct)
 * comes before the environment.
 */
class EgressProxyIT {
  private static final TestPki.Ca CA = TestPki.ca("Egress Test CA");

  @Test
  void httpProxyIsUsedAndNoProxyHostsGoDirect(@TempDir Path dir) throws Exception {
    try (FakeUpstream upstream = FakeUpstream.start().then(FakeUpstream.completion("through"));
         Tinyproxy egress = Tinyproxy.start()) {
      Path manifests = dir.resolve("gateway.yaml");
      Files.writeString(manifests, """
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: upstream}
          spec: {provider: openai-compatible, url: "%s/v1", models: [{name: m}]}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: chat}
          spec: {model: chat, targets: [{backendRef: {name: upstream}, model: m}]}
          """.formatted(upstream.url()));
      try (ChildProxy proxy = ChildProxy.start(List.of("--manifests", manifests.toString()), Map.of("HTTP_PROXY", egress.url()))) {
        assertThat(chat(proxy)).isEqualTo(200);
        assertThat(upstream.last().header("via")).as("the request came through the proxy").contains("tinyproxy");
      }
      try (ChildProxy proxy = ChildProxy.start(List.of("--manifests", manifests.toString()),
          Map.of("http_proxy", egress.url(), "NO_PROXY", "127.0.0.1"))) {
        assertThat(chat(proxy)).isEqualTo(200);
        assertThat(upstream.last().header("via")).as("NO_PROXY: straight to the upstream").isEmpty();
      }
    }
  }

  @Test
  void httpsGoesThroughAConnectTunnelAndNoProxyHostsGoDirect(@TempDir Path dir) throws Exception {
    try (FakeUpstream upstream = FakeUpstream.startTls(CA.server().serverTls()).then(FakeUpstream.completion("tunnelled"));
         Tinyproxy egress = Tinyproxy.start()) {
      Path manifests = dir.resolve("gateway.yaml");
      Files.writeString(manifests, caConfigMap() + "---\n" + backend("internal", upstream.url(), "") + "---\n" + route("internal"));
      // Helidon names 127.0.0.1 "localhost" in the CONNECT line, so the port identifies the upstream.
      String target = ":" + upstream.port();
      try (ChildProxy proxy = ChildProxy.start(List.of("--manifests", manifests.toString()), Map.of("HTTPS_PROXY", egress.url()))) {
        assertThat(chat(proxy)).as(proxy.output()).isEqualTo(200);
        assertThat(egress.tunnels()).as(egress.log()).anyMatch(t -> t.endsWith(target));
        assertThat(upstream.last().header("via")).as("a tunnel passes the request untouched").isEmpty();
      }
      int tunnels = egress.tunnels().size();
      try (ChildProxy proxy = ChildProxy.start(List.of("--manifests", manifests.toString()),
          Map.of("https_proxy", egress.url(), "no_proxy", "localhost,127.0.0.1"))) {
        assertThat(chat(proxy)).as(proxy.output()).isEqualTo(200);
        assertThat(egress.tunnels()).as("NO_PROXY: straight to the upstream").hasSize(tunnels);
      }
    }
  }

  @Test
  void aBackendsOwnProxyWithALoginOrDirectComesBeforeTheEnvironment(@TempDir Path dir) throws Exception {
    try (FakeUpstream upstream = FakeUpstream.startTls(CA.server().serverTls()).then(FakeUpstream.completion("own proxy"));
         Tinyproxy environment = Tinyproxy.start();
         Tinyproxy corporate = Tinyproxy.start(List.of("BasicAuth gateway s3cret-proxy-pass"))) {
      Path manifests = dir.resolve("gateway.yaml");
      String login = """
          apiVersion: v1
          kind: Secret
          metadata: {name: proxy-login}
          stringData: {username: gateway, password: %s}
          """;
      String own = "  proxy:\n    url: " + corporate.url() + "\n    credentials: {secretRef: {name: proxy-login}}\n";
      Files.writeString(manifests, caConfigMap() + "---\n" + login.formatted("s3cret-proxy-pass") + "---\n"
          + backend("internal", upstream.url(), own) + "---\n" + route("internal"));
      String target = ":" + upstream.port();
      try (ChildProxy proxy = ChildProxy.start(List.of("--manifests", manifests.toString()), Map.of("HTTPS_PROXY", environment.url()))) {
        assertThat(chat(proxy)).as(proxy.output() + corporate.log()).isEqualTo(200);
        assertThat(corporate.tunnels()).as("spec.proxy.url, logged in with the Secret's credentials").anyMatch(t -> t.endsWith(target));
        assertThat(environment.tunnels()).as("HTTPS_PROXY is not used for this backend").isEmpty();
        assertThat(proxy.output()).doesNotContain("s3cret-proxy-pass");

        // A wrong password: the proxy's refusal, in words, and no password in the answer.
        Files.writeString(manifests, caConfigMap() + "---\n" + login.formatted("wrong-pass") + "---\n"
            + backend("internal", upstream.url(), own) + "---\n" + route("internal"));
        await().atMost(Duration.ofSeconds(20)).until(() -> chat(proxy) != 200);
        HttpResponse<String> refused = send(proxy);
        assertThat(refused.statusCode()).isEqualTo(502);
        // tinyproxy answers a bad login with 401 (RFC 9110 says 407); either is named, with the fix.
        assertThat(refused.body()).contains("the egress proxy refused to open a tunnel to it: 401", "spec.proxy.credentials")
            .doesNotContain("wrong-pass").doesNotContain("s3cret");

        // direct: true ignores HTTPS_PROXY.
        Files.writeString(manifests, caConfigMap() + "---\n" + backend("internal", upstream.url(), "  proxy: {direct: true}\n")
            + "---\n" + route("internal"));
        await().atMost(Duration.ofSeconds(20)).until(() -> chat(proxy) == 200);
        // Requests sent before the reload (and their probes) still went to the corporate proxy; none after it.
        int corporateTunnels = corporate.tunnels().size();
        for (int i = 0; i < 3; i++) {
          assertThat(chat(proxy)).isEqualTo(200);
        }
        assertThat(corporate.tunnels()).as("direct: true").hasSize(corporateTunnels);
        assertThat(environment.tunnels()).isEmpty();
        assertThat(proxy.output()).doesNotContain("s3cret-proxy-pass").doesNotContain("wrong-pass");
      }
    }
  }

  private static String caConfigMap() {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: corp-ca}\ndata:\n  ca.crt: |\n" + CA.pem().indent(4);
  }

  private static String backend(String name, String url, String extra) {
    return """
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: %s}
        spec:
          provider: openai-compatible
          url: %s/v1
          models: [{name: m}]
          tls: {ca: {configMapRef: {name: corp-ca, key: ca.crt}}}
        """.formatted(name, url) + extra;
  }

  private static String route(String backend) {
    return """
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: chat}
        spec: {model: chat, targets: [{backendRef: {name: %s}, model: m}], retry: {attempts: 1}}
        """.formatted(backend);
  }

  private static int chat(ChildProxy proxy) throws Exception {
    return send(proxy).statusCode();
  }

  private static HttpResponse<String> send(ChildProxy proxy) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(proxy.url() + "/v1/chat/completions"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
