package dev.switchboard.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EgressProxyTest {
  @Test
  void readsTheVariablesContainerToolsHonour() {
    Map<String, String> env = Map.of("HTTPS_PROXY", "http://user:p%40ss@proxy.internal:3128", "http_proxy", "proxy.internal:8080",
        "NO_PROXY", "localhost, .svc.cluster.local,10.0.0.1");
    EgressProxy https = EgressProxy.forScheme("https", env).orElseThrow();
    assertThat(https.url().getHost()).isEqualTo("proxy.internal");
    assertThat(https.noProxy()).containsExactly("localhost", ".svc.cluster.local", "10.0.0.1");
    assertThat(https.describe()).isEqualTo("http://proxy.internal:3128 (NO_PROXY localhost,.svc.cluster.local,10.0.0.1)")
        .doesNotContain("p%40ss", "user");
    assertThat(EgressProxy.forScheme("http", env).orElseThrow().url().getPort()).as("lower case, scheme optional").isEqualTo(8080);
    assertThat(EgressProxy.forScheme("https", Map.of())).isEmpty();
    assertThat(https.bypasses("localhost")).isTrue();
    assertThat(https.bypasses("api.default.svc.cluster.local")).as("a suffix").isTrue();
    assertThat(https.bypasses("svc.cluster.local.evil.test")).isFalse();
    assertThat(https.bypasses("10.0.0.1")).isTrue();
    assertThat(https.bypasses("api.openai.com")).isFalse();
    assertThat(EgressProxy.forScheme("https", Map.of("HTTPS_PROXY", "http://p:1", "no_proxy", "*")).orElseThrow().bypasses("x")).isTrue();
    assertThatThrownBy(() -> EgressProxy.forScheme("https", Map.of("HTTPS_PROXY", "socks5://proxy:1080")))
        .hasMessageContaining("must be an http:// proxy URL");
  }
}
