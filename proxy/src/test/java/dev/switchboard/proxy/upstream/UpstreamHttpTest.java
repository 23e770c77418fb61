package dev.switchboard.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpstreamHttpTest {
  private static final List<String> PROXY_PROPERTIES =
      List.of("http.proxyHost", "https.proxyHost", "socksProxyHost", "java.net.useSystemProxies");
  private final Properties saved = new Properties();

  @BeforeEach
  void clearProxyProperties() {
    for (String name : PROXY_PROPERTIES) {
      String value = System.getProperty(name);
      if (value != null) {
        saved.setProperty(name, value);
      }
      System.clearProperty(name);
    }
  }

  @AfterEach
  void restoreProxyProperties() {
    PROXY_PROPERTIES.forEach(System::clearProperty);
    saved.forEach((k, v) -> System.setProperty((String) k, (String) v));
  }

  @Test
  void theJvmsProxySettingsAreHonouredWhenAnyIsGiven() {
    assertThat(UpstreamHttp.jvmProxyConfigured()).as("none set: connect directly").isFalse();
    System.setProperty("java.net.useSystemProxies", "false");
    assertThat(UpstreamHttp.jvmProxyConfigured()).as("explicitly off").isFalse();
    for (String name : PROXY_PROPERTIES) {
      System.setProperty(name, name.equals("java.net.useSystemProxies") ? "true" : "proxy.internal");
      assertThat(UpstreamHttp.jvmProxyConfigured()).as(name).isTrue();
      System.clearProperty(name);
    }
    System.setProperty("https.proxyHost", " ");
    assertThat(UpstreamHttp.jvmProxyConfigured()).as("blank host").isFalse();
  }
}
