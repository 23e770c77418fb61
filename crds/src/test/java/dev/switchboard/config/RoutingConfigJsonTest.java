package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.RepoFiles;
import dev.switchboard.TestManifests;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RoutingConfigJsonTest {
  @Test
  void roundTripsEveryExampleExactly() throws IOException {
    for (String example : new String[] {"quickstart", "azure-openai", "failover", "openai-compatible"}) {
      RoutingConfig config = TestManifests.compile(TestManifests.reader().read(RepoFiles.path("examples/" + example))).config();
      RoutingConfig back = RoutingConfigJson.read(RoutingConfigJson.write(config));
      assertThat(back).isEqualTo(config);
      assertThat(RoutingConfigJson.versionOf(back)).isEqualTo(config.version());
    }
  }

  @Test
  void theJsonFormIsStableAndReadable() {
    RoutingConfig config = TestManifests.compile(TestManifests.reader().read(RepoFiles.path("examples/quickstart"))).config();
    String json = RoutingConfigJson.writePretty(config);
    assertThat(json).contains("\"provider\" : \"mock\"", "\"chunkDelay\" : \"PT0.02S\"", "\"strategy\" : \"failover\"");
    assertThat(RoutingConfigJson.writePretty(config)).isEqualTo(json);
  }

  @Test
  void anEmptyConfigHasAVersionToo() {
    assertThat(RoutingConfig.empty().version()).startsWith("sha256:");
    assertThat(RoutingConfig.empty().routes()).isEmpty();
  }

  @Test
  void rejectsBytesThatAreNoConfig() {
    assertThatThrownBy(() -> RoutingConfigJson.read("{\"routes\": 5}".getBytes())).isInstanceOf(IOException.class);
  }

  @Test
  void durationsParseAndPrintTheGoWay() {
    assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("2h0m5s")).isEqualTo(Duration.ofSeconds(7205));
    assertThat(Durations.format(Duration.ofMillis(90_250))).isEqualTo("1m30s250ms");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    for (String bad : new String[] {"", "5", "5 s", "-1s", "1d", "s", "1.s"}) {
      assertThat(Durations.isValid(bad)).as(bad).isFalse();
      assertThatThrownBy(() -> Durations.parse(bad)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void secretValuesCompareInConstantTimeAndNeverPrint() {
    SecretValue key = SecretValue.of("sk-abc");
    assertThat(key.matches("sk-abc")).isTrue();
    assertThat(key.matches("sk-abd")).isFalse();
    assertThat(key).hasToString("<secret>");
    assertThat(SecretValue.of("")).isSameAs(SecretValue.empty()).hasToString("<none>");
  }
}
