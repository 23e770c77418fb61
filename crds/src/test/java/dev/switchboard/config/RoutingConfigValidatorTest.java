package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.RepoFiles;
import dev.switchboard.TestManifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RoutingConfigValidatorTest {
  @Test
  void everyCompiledExampleIsConsistent() throws IOException {
    try (Stream<Path> dirs = Files.list(RepoFiles.path("examples"))) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        RoutingConfig config = TestManifests.compile(TestManifests.reader().read(dir)).config();
        assertThat(RoutingConfigValidator.problems(config)).as(dir.toString()).isEmpty();
      }
    }
  }

  @Test
  void findsWhatAHandWrittenOrTamperedConfigGetsWrong() {
    RoutingConfig good = TestManifests.compile(TestManifests.reader().read(RepoFiles.path("examples/failover"))).config();
    RouteConfig route = good.routes().get(0);
    RouteConfig orphan = new RouteConfig(route.id(), route.namespace(), route.name(), route.model(), List.of("smart"),
        route.description(), route.capabilities(), route.type(), route.strategy(),
        List.of(new TargetConfig("default/ghost", "gpt-4o", "gpt-4o", 0, 1, null, false)), new RetryPolicy(0, List.of(),
            java.util.Optional.empty(), java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(1)),
        null, false, false);
    RoutingConfig bad = RoutingConfigJson.withVersion(new RoutingConfig("", good.backends(), List.of(orphan), List.of("plain-key")));
    assertThat(RoutingConfigValidator.problems(bad)).containsExactly(
        "route default/smart: model name smart is also served by route default/smart",
        "route default/smart: target backend default/ghost is not in the config",
        "route default/smart: retry attempts must be 1 to 10",
        "route default/smart: backoff base longer than max",
        "client key hashes must look like sha256:<64 hex digits>");
    RoutingConfig stale = new RoutingConfig("sha256:0000000000000000", good.backends(), good.routes());
    assertThat(RoutingConfigValidator.problems(stale)).singleElement().asString().startsWith("version sha256:0000000000000000 does not match");
  }
}
