package dev.switchboard.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxyOptionsTest {
  @Test
  void defaultsAndFlags() throws Exception {
    ProxyOptions d = ProxyOptions.parse(new String[0], Optional.empty());
    assertThat(d.port()).isEqualTo(8080);
    assertThat(d.adminPort()).isEqualTo(9090);
    assertThat(d.host()).isEqualTo("0.0.0.0");
    assertThat(d.manifests()).isEmpty();
    assertThat(d.shutdownGrace()).isEqualTo(java.time.Duration.ofSeconds(30));
    ProxyOptions o = ProxyOptions.parse(new String[] {"--manifests", "examples/quickstart", "--port=8181", "--admin-port", "0",
        "--host", "127.0.0.1", "--api-key", "a", "--max-body-bytes", "1024", "--no-access-log", "--shutdown-grace=45s"}, Optional.of("b, c,"));
    assertThat(o.manifests()).contains(Path.of("examples/quickstart"));
    assertThat(o.port()).isEqualTo(8181);
    assertThat(o.apiKeys()).isEqualTo(List.of("a", "b", "c"));
    assertThat(o.maxBodyBytes()).isEqualTo(1024);
    assertThat(o.accessLog()).isFalse();
    assertThat(o.shutdownGrace()).isEqualTo(java.time.Duration.ofSeconds(45));
    assertThat(d.continuity()).isEqualTo(dev.switchboard.proxy.exchange.ContinuityStore.Bounds.DEFAULTS);
    ProxyOptions c = ProxyOptions.parse(new String[] {"--continuity-store-chars", "0", "--continuity-ttl=10m"}, Optional.empty());
    assertThat(c.continuity().maxChars()).isZero();
    assertThat(c.continuity().ttl()).isEqualTo(java.time.Duration.ofMinutes(10));
    assertThat(d.responseStore()).isEqualTo(dev.switchboard.proxy.state.ResponseStoreConfig.DEFAULTS);
    ProxyOptions r = ProxyOptions.parse(new String[] {"--response-store", "none", "--response-store-chars=1000", "--response-ttl", "2h"},
        Optional.empty());
    assertThat(r.responseStore().mode()).isEqualTo(dev.switchboard.proxy.state.ResponseStoreConfig.Mode.NONE);
    assertThat(ProxyOptions.parse(new String[] {"--redis", "redis://127.0.0.1:6390"}, Optional.empty()).responseStore().mode())
        .isEqualTo(dev.switchboard.proxy.state.ResponseStoreConfig.Mode.REDIS);
    assertThat(r.responseStore().maxChars()).isEqualTo(1000);
    assertThat(r.responseStore().ttl()).isEqualTo(java.time.Duration.ofHours(2));
  }

  @Test
  void corsOriginsRepeatAndTheAdminPortMayListenElsewhere() throws Exception {
    ProxyOptions o = ProxyOptions.parse(new String[] {"--cors-origin", "https://app.example.com", "--cors-origin=http://localhost:3000",
        "--admin-host", "0.0.0.0"}, Optional.empty());
    assertThat(o.corsOrigins()).containsExactly("https://app.example.com", "http://localhost:3000");
    assertThat(o.adminHost()).contains("0.0.0.0");
    assertThat(ProxyOptions.parse(new String[0], Optional.empty()).adminHost()).isEmpty();
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--cors-origin", "https://app.example.com/page"}, Optional.empty()))
        .hasMessageContaining("--cors-origin must be an origin such as https://app.example.com");
  }

  @Test
  void badCommandLinesSayWhatIsWrong() {
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--prot", "1"}, Optional.empty())).hasMessage("unknown option --prot");
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--port"}, Optional.empty())).hasMessage("--port needs a value");
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--port", "http"}, Optional.empty()))
        .hasMessageContaining("port number from 0 to 65535");
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--port", "9090"}, Optional.empty())).hasMessageContaining("must differ");
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--manifests", "a", "--snapshot", "b"}, Optional.empty()))
        .hasMessageContaining("exclude each other");
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--shutdown-grace", "30"}, Optional.empty()))
        .hasMessageContaining("--shutdown-grace must be a duration");
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--continuity-store-chars", "-1"}, Optional.empty()))
        .hasMessageContaining("must be a positive number");
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--response-store", "disk"}, Optional.empty()))
        .hasMessage("--response-store must be memory, redis or none, not 'disk'");
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--response-store", "redis"}, Optional.empty()))
        .hasMessageContaining("needs --redis URL");
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--redis", "http://user:secret@h"}, Optional.empty()))
        .hasMessageNotContaining("secret").hasMessageContaining("redis://host:6379");
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--help"}, Optional.empty())).hasMessage("");
  }
}
