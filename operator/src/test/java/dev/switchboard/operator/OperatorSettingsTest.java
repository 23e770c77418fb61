package dev.switchboard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {
  @Test
  void readsTheEnvironmentWithDefaults() {
    OperatorSettings s = OperatorSettings.fromEnvironment(Map.of("SWITCHBOARD_ADMIN_TOKEN", "admin-token-xyz", "POD_NAMESPACE", "sb",
        "SWITCHBOARD_WATCH_NAMESPACES", "team-a, team-b,", "SWITCHBOARD_CLIENT_KEYS_SECRET", "client-keys")::get, "ignored");
    assertThat(s.namespace()).isEqualTo("sb");
    assertThat(s.proxyNamespace()).isEqualTo("sb");
    assertThat(s.watchNamespaces()).containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(s.proxySelector()).containsExactly(Map.entry("app.kubernetes.io/name", "switchboard"),
        Map.entry("app.kubernetes.io/component", "proxy"));
    assertThat(s.snapshotSecret()).isEqualTo("switchboard-routing-snapshot");
    assertThat(s.clientKeysSecret()).contains("sb/client-keys");
    assertThat(s.statusInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.leaderElection()).isFalse();
    assertThat(s.adminToken().reveal()).isEqualTo("admin-token-xyz");
    assertThat(s.toString()).doesNotContain("admin-token-xyz");
  }

  @Test
  void refusesWhatCannotWork() {
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.<String, String>of()::get, "ns"))
        .hasMessageContaining("SWITCHBOARD_ADMIN_TOKEN");
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("SWITCHBOARD_ADMIN_TOKEN", "t",
        "SWITCHBOARD_PROXY_SELECTOR", "app!=x")::get, "ns")).hasMessageContaining("label=value pairs");
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("SWITCHBOARD_ADMIN_TOKEN", "t",
        "SWITCHBOARD_STATUS_INTERVAL", "often")::get, "ns")).hasMessageContaining("SWITCHBOARD_STATUS_INTERVAL");
  }
}
