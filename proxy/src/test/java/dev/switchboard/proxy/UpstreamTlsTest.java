package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.TestPki;
import dev.switchboard.proxy.testing.TestPki.KeyForm;
import dev.switchboard.proxy.testing.TestProxy;
import dev.switchboard.compiler.ConfigCompiler;
import dev.switchboard.manifest.ManifestReader;
import dev.switchboard.proxy.local.LocalMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Backends behind TLS with certificates made in the test: trust through spec.tls.ca (ConfigMap
 * or Secret, append or replace), the refusals in words (unknown authority, hostname mismatch,
 * expired, client certificate required or refused) with reason TLSHandshakeFailed, mutual TLS
 * with every key form, and rotation of the CA and of the client certificate under traffic.
 */
class UpstreamTlsTest {
  private static final TestPki.Ca CA = TestPki.ca("Switchboard Test CA");
  private static final TestPki.Ca OTHER_CA = TestPki.ca("Some Other CA");
  private static final TestPki.Ca CLIENT_CA = TestPki.ca("Gateway Clients CA");
  private static final String TOKEN = "admin-token-for-tls-tests";
  private static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private TestProxy proxy;
  private FakeUpstream upstream;

  @BeforeEach
  void start() {
    proxy = TestProxy.start(dev.switchboard.proxy.server.Settings.defaults().withAdminToken(TOKEN));
  }

  @AfterEach
  void stop() {
    proxy.close();
    if (upstream != null) {
      upstream.close();
    }
  }

  private FakeUpstream serve(io.helidon.common.tls.Tls tls) {
    upstream = FakeUpstream.startTls(tls).then(FakeUpstream.completion("over tls"));
    return upstream;
  }

  /** The backend with {@code tls} (YAML lines under spec.tls, or none) and extra documents. */
  private static String manifests(String url, String tls, String... documents) {
    StringBuilder out = new StringBuilder();
    for (String d : documents) {
      out.append(d).append("\n---\n");
    }
    out.append("""
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: internal}
        spec:
          provider: openai-compatible
          url: %s/v1
          models: [{name: m}]
          healthCheck: {enabled: false}
        """.formatted(url));
    if (!tls.isEmpty()) {
      out.append("  tls:\n").append(tls.indent(4));
    }
    out.append("""
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: chat}
        spec: {model: chat, targets: [{backendRef: {name: internal}, model: m}], retry: {attempts: 1}}
        """);
    return out.toString();
  }

  private static String configMap(String name, String pem) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + "}\ndata:\n  ca.crt: |\n" + pem.indent(4);
  }

  private static String tlsSecret(String name, TestPki.Issued issued) {
    return "apiVersion: v1\nkind: Secret\nmetadata: {name: " + name + "}\ntype: kubernetes.io/tls\nstringData:\n  tls.crt: |\n"
        + issued.certificatePem().indent(4) + "  tls.key: |\n" + issued.keyPem().indent(4);
  }

  private JsonNode probe() {
    TestProxy.Reply reply = proxy.admin("POST", "/admin/probe", "{\"backends\":[\"default/internal\"]}", "Authorization", "Bearer " + TOKEN);
    assertThat(reply.status()).isEqualTo(200);
    return reply.json().at("/backends/0");
  }

  @Test
  void aPrivateCaFromAConfigMapIsTrustedAndWithoutItTheIssuerIsNamed() {
    serve(CA.server().serverTls());
    proxy.serve(manifests(upstream.url(), "ca: {configMapRef: {name: corp-ca, key: ca.crt}}", configMap("corp-ca", CA.pem())));
    TestProxy.Reply ok = proxy.chat(CHAT);
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body()).contains("over tls");

    proxy.serve(manifests(upstream.url(), ""));
    TestProxy.Reply refused = proxy.chat(CHAT);
    assertThat(refused.status()).isEqualTo(502);
    assertThat(refused.body()).contains("TLS handshake failed: unknown authority").contains("CN=Switchboard Test CA");
    JsonNode probe = probe();
    assertThat(probe.get("reason").asText()).isEqualTo("TLSHandshakeFailed");
    assertThat(probe.get("lastError").asText()).contains("unknown authority: the certificate CN=upstream is issued by CN=Switchboard Test CA, which is not in the default trust (add that CA with spec.tls.ca)");
  }

  @Test
  void replaceTrustsOnlyTheBundleAndSaysWhereItLooked() {
    serve(CA.server().serverTls());
    proxy.serve(manifests(upstream.url(), "ca: {secretRef: {name: other-ca, key: ca.crt}}\ncaMode: replace",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: other-ca}\nstringData:\n  ca.crt: |\n" + OTHER_CA.pem().indent(4)));
    JsonNode probe = probe();
    assertThat(probe.get("reason").asText()).isEqualTo("TLSHandshakeFailed");
    assertThat(probe.get("lastError").asText()).contains("is issued by CN=Switchboard Test CA, which is not in Secret \"other-ca\" key \"ca.crt\"")
        .doesNotContain("default trust");

    // append: both the bundle (here two CAs in one PEM) and the defaults.
    proxy.serve(manifests(upstream.url(), "ca: {secretRef: {name: other-ca, key: ca.crt}}",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: other-ca}\nstringData:\n  ca.crt: |\n" + (OTHER_CA.pem() + CA.pem()).indent(4)));
    assertThat(proxy.chat(CHAT).status()).isEqualTo(200);
  }

  @Test
  void aHostnameMismatchListsTheCertificatesNamesAndServerNameFixesIt() {
    Instant now = Instant.now();
    serve(CA.issue("vllm", List.of("vllm.ml.internal"), List.of(), now.minusSeconds(3600), now.plusSeconds(86400), KeyForm.PKCS8_EC).serverTls());
    String ca = configMap("corp-ca", CA.pem());
    proxy.serve(manifests(upstream.url(), "ca: {configMapRef: {name: corp-ca, key: ca.crt}}", ca));
    JsonNode probe = probe();
    assertThat(probe.get("reason").asText()).isEqualTo("TLSHandshakeFailed");
    assertThat(probe.get("lastError").asText()).contains("hostname mismatch: the certificate is for vllm.ml.internal, not ")
        .contains("spec.tls.serverName");

    proxy.serve(manifests(upstream.url(), "ca: {configMapRef: {name: corp-ca, key: ca.crt}}\nserverName: vllm.ml.internal", ca));
    assertThat(proxy.chat(CHAT).status()).isEqualTo(200);
    assertThat(upstream.last().header("host")).as("the Host header stays the url's").startsWith("127.0.0.1");
  }

  @Test
  void anExpiredCertificateSaysWhen() {
    Instant now = Instant.now();
    Instant expired = now.minus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    serve(CA.issue("upstream", List.of("localhost"), List.of("127.0.0.1"), now.minus(Duration.ofDays(30)), expired, KeyForm.PKCS8_EC).serverTls());
    proxy.serve(manifests(upstream.url(), "ca: {configMapRef: {name: corp-ca, key: ca.crt}}", configMap("corp-ca", CA.pem())));
    JsonNode probe = probe();
    assertThat(probe.get("reason").asText()).isEqualTo("TLSHandshakeFailed");
    assertThat(probe.get("lastError").asText()).contains("certificate expired: the backend's certificate CN=upstream expired on " + expired);
  }

  @Test
  void aCertificateNotYetValidAndABackendThatIsNotTlsAreNamed() {
    Instant now = Instant.now();
    Instant from = now.plus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    serve(CA.issue("upstream", List.of("localhost"), List.of("127.0.0.1"), from, now.plus(Duration.ofDays(30)), KeyForm.PKCS8_EC).serverTls());
    proxy.serve(manifests(upstream.url(), "ca: {configMapRef: {name: corp-ca, key: ca.crt}}", configMap("corp-ca", CA.pem())));
    assertThat(probe().get("lastError").asText()).contains("certificate not yet valid: ", " is valid from " + from, "check the clocks");
    upstream.close();

    // An https:// url for a backend that speaks plain HTTP.
    upstream = FakeUpstream.start().then(FakeUpstream.completion("plain"));
    proxy.serve(manifests(upstream.url().replace("http://", "https://"), ""));
    JsonNode probe = probe();
    assertThat(probe.get("reason").asText()).isEqualTo("TLSHandshakeFailed");
    assertThat(probe.get("lastError").asText()).contains("the backend did not answer in TLS (is its url http://?)");
  }

  @Test
  void aRequiredClientCertificateIsNamedWhenMissingOrRefused() {
    serve(CA.server().serverTls(CLIENT_CA));
    String ca = configMap("corp-ca", CA.pem());
    proxy.serve(manifests(upstream.url(), "ca: {configMapRef: {name: corp-ca, key: ca.crt}}", ca));
    JsonNode missing = probe();
    assertThat(missing.get("reason").asText()).isEqualTo("TLSHandshakeFailed");
    assertThat(missing.get("lastError").asText()).contains("client certificate");

    // Signed by a CA the backend does not trust.
    proxy.serve(manifests(upstream.url(), "ca: {configMapRef: {name: corp-ca, key: ca.crt}}\nclientCertificate: {secretRef: {name: gateway}}",
        ca, tlsSecret("gateway", OTHER_CA.client("gateway", KeyForm.PKCS8_EC))));
    JsonNode refused = probe();
    assertThat(refused.get("reason").asText()).isEqualTo("TLSHandshakeFailed");
    assertThat(refused.get("lastError").asText()).contains("client certificate refused");
  }

  @ParameterizedTest
  @EnumSource(KeyForm.class)
  void mutualTlsWorksWithEveryKeyFormKubernetesSecretsHold(KeyForm form) {
    serve(CA.server().serverTls(CLIENT_CA));
    TestPki.Issued client = CLIENT_CA.client("gateway", form);
    assertThat(client.keyPem()).contains(switch (form) {
      case PKCS8_RSA, PKCS8_EC -> "BEGIN PRIVATE KEY";
      case PKCS1_RSA -> "BEGIN RSA PRIVATE KEY";
      case SEC1_EC -> "BEGIN EC PRIVATE KEY";
    });
    proxy.serve(manifests(upstream.url(), "ca: {configMapRef: {name: corp-ca, key: ca.crt}}\nclientCertificate: {secretRef: {name: gateway}}",
        configMap("corp-ca", CA.pem()), tlsSecret("gateway", client)));
    TestProxy.Reply reply = proxy.chat(CHAT);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).contains("over tls");
  }

  @Test
  void theCaAndTheClientCertificateRotateUnderTrafficWithoutAFailedRequest() throws Exception {
    TestPki.Ca newCa = TestPki.ca("Switchboard Test CA 2026");
    TestPki.Ca newClientCa = TestPki.ca("Gateway Clients CA 2026");
    TestPki.Issued oldClient = CLIENT_CA.client("gateway", KeyForm.PKCS8_EC);
    TestPki.Issued newClient = newClientCa.client("gateway", KeyForm.SEC1_EC);
    serve(CA.server().serverTls(CLIENT_CA, newClientCa));
    String mtls = "ca: {configMapRef: {name: corp-ca, key: ca.crt}}\nclientCertificate: {secretRef: {name: gateway}}";
    proxy.serve(manifests(upstream.url(), mtls, configMap("corp-ca", CA.pem()), tlsSecret("gateway", oldClient)));

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    List<String> failures = new CopyOnWriteArrayList<>();
    List<Thread> load = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      load.add(Thread.ofVirtual().start(() -> {
        while (running.get()) {
          TestProxy.Reply r = proxy.chat(CHAT);
          if (r.status() == 200) {
            ok.incrementAndGet();
          } else {
            failures.add(r.status() + " " + r.body());
          }
        }
      }));
    }
    try {
      awaitMoreRequests(ok, 20);
      int connectionsBefore = upstream.connections();

      // 1. Trust both CAs; 2. the backend moves to a certificate from the new CA; 3. trust only the new CA.
      proxy.serve(manifests(upstream.url(), mtls, configMap("corp-ca", CA.pem() + newCa.pem()), tlsSecret("gateway", oldClient)));
      awaitMoreRequests(ok, 20);
      upstream.reloadTls(newCa.server().serverTls(CLIENT_CA, newClientCa));
      awaitMoreRequests(ok, 20);
      proxy.serve(manifests(upstream.url(), mtls, configMap("corp-ca", newCa.pem()), tlsSecret("gateway", oldClient)));
      awaitMoreRequests(ok, 20);

      // The client certificate: the new one is presented, then the backend stops accepting the old CA.
      proxy.serve(manifests(upstream.url(), mtls, configMap("corp-ca", newCa.pem()), tlsSecret("gateway", newClient)));
      awaitMoreRequests(ok, 20);
      upstream.reloadTls(newCa.server().serverTls(newClientCa));
      awaitMoreRequests(ok, 20);
      assertThat(upstream.connections()).as("each rotation opened new connections with the new material").isGreaterThanOrEqualTo(connectionsBefore + 3);
    } finally {
      running.set(false);
      for (Thread t : load) {
        t.join(Duration.ofSeconds(30));
      }
    }
    assertThat(failures).as("failed requests during rotation").isEmpty();
    // A brand-new connection now needs the new CA and the new client certificate.
    proxy.serve(manifests(upstream.url(), mtls, configMap("corp-ca", newCa.pem()), tlsSecret("gateway", newClient)) + "\n");
    assertThat(proxy.chat(CHAT).status()).isEqualTo(200);
  }

  @Test
  void inLocalModeAnEditedConfigMapFileChangesTheTrustWithoutARestart(@TempDir Path dir) throws Exception {
    serve(CA.server().serverTls());
    Files.writeString(dir.resolve("ca.yaml"), configMap("corp-ca", OTHER_CA.pem()));
    Files.writeString(dir.resolve("gateway.yaml"), manifests(upstream.url(), "ca: {configMapRef: {name: corp-ca, key: ca.crt}}"));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    try (TestProxy local = TestProxy.start(dev.switchboard.proxy.server.Settings.defaults().withAdminToken(TOKEN).inLocalMode());
         LocalMode mode = new LocalMode(dir, new ManifestReader(TestProxy.VALIDATOR, n -> Optional.empty()),
             new ConfigCompiler(TestProxy.VALIDATOR), local.context().holder(), new PrintStream(console, true, StandardCharsets.UTF_8))) {
      assertThat(mode.start().applied()).isTrue();
      mode.watch(Duration.ofMillis(50));
      TestProxy.Reply refused = local.chat(CHAT);
      assertThat(refused.status()).isEqualTo(502);
      assertThat(refused.body()).contains("unknown authority").contains("CN=Switchboard Test CA");

      // The platform team fixes the bundle in the ConfigMap manifest; the reload brings it to new connections.
      Files.writeString(dir.resolve("ca.yaml"), configMap("corp-ca", CA.pem()));
      await().atMost(Duration.ofSeconds(10)).until(() -> local.chat(CHAT).status() == 200);
      assertThat(console.toString()).contains("Reloaded");
    }
  }

  private static void awaitMoreRequests(AtomicInteger ok, int more) {
    int target = ok.get() + more;
    await().atMost(Duration.ofSeconds(20)).until(() -> ok.get() >= target);
  }
}
