package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.compiler.Compilation;
import dev.switchboard.config.RoutingConfigJson;
import dev.switchboard.manifest.ManifestSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A sentinel API key (and client certificate key, and egress proxy password), put everywhere a key can be put (valid and broken), must never appear in a
 * problem, an outcome, or any toString(); only the serialized config, which must carry it to the
 * proxies, may hold it.
 */
class SecretLeakTest {
  private static final String SENTINEL = "sk-SENTINEL-7f3a9c";

  @Test
  void theKeyAppearsNowhereButTheSerializedConfig() {
    String manifests = """
        apiVersion: v1
        kind: Secret
        metadata: {name: keys}
        stringData:
          good: %1$s
          env: ${SENTINEL_ENV}
          broken-env: %1$s${UNSET_VARIABLE}
        data:
          bad64: %1$s!!
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: openai}
        spec:
          provider: openai
          credentials: {secretRef: {name: keys, key: good}}
          models: [{name: gpt-4o}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: missing-key}
        spec:
          provider: openai
          credentials: {secretRef: {name: keys, key: broken-env}}
          models: [{name: gpt-4o}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: r}
        spec:
          model: chat
          targets: [{backendRef: {name: missing-key}, model: gpt-4o}, {backendRef: {name: openai}, model: gpt-4o}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: client-cert}
        type: kubernetes.io/tls
        stringData:
          tls.crt: |
            -----BEGIN CERTIFICATE-----
            %1$s
            -----END CERTIFICATE-----
          tls.key: |
            -----BEGIN PRIVATE KEY-----
            %1$s
            -----END PRIVATE KEY-----
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: mtls}
        spec:
          provider: openai-compatible
          url: https://vllm.internal:8443/v1
          models: [{name: m}]
          tls: {clientCertificate: {secretRef: {name: client-cert}}}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: proxy-login}
        stringData: {username: gateway, password: %1$s}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: behind-proxy}
        spec:
          provider: openai-compatible
          url: https://llm.internal/v1
          models: [{name: m}]
          proxy: {url: "http://squid.internal:3128", credentials: {secretRef: {name: proxy-login}}}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: broken-yaml}
        stringData:
          key: "%1$s
        """.formatted(SENTINEL);
    ManifestSet set = TestManifests.reader(Map.of("SENTINEL_ENV", SENTINEL)).read("leak.yaml", manifests);
    Compilation compilation = TestManifests.compile(set);

    List<String> texts = new ArrayList<>();
    set.problems().forEach(p -> texts.add(p.toString()));
    compilation.problems().forEach(p -> texts.add(p.toString()));
    texts.add(set.toString());
    texts.add(compilation.toString());
    texts.add(compilation.config().toString());
    compilation.backends().forEach(b -> texts.add(b.toString()));
    compilation.routes().forEach(r -> texts.add(r.toString()));

    assertThat(set.problems()).as("the broken keys and the broken YAML are reported").hasSizeGreaterThanOrEqualTo(3);
    assertThat(compilation.problems()).as("the unreadable client certificate is reported").anyMatch(p -> p.toString().contains("spec.tls.clientCertificate"));
    assertThat(texts).allSatisfy(text -> assertThat(text).doesNotContain(SENTINEL).doesNotContain("SENTINEL-7f3a9c"));
    assertThat(new String(RoutingConfigJson.write(compilation.config()))).contains(SENTINEL);
  }
}
