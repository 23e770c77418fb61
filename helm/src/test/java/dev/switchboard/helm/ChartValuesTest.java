package dev.switchboard.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.v1alpha1.Provider;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Values that must fail, the admin token's lifetime, and the files kept in sync with others. */
class ChartValuesTest {
  private static final boolean REGENERATE = Boolean.getBoolean("switchboard.regenerate");

  @Test
  void badValuesFailWithAMessageNamingTheValue() {
    assertThatThrownBy(() -> Chart.render("defaults", Map.of("proxy.replicas", -1)))
        .hasMessageContaining("/proxy/replicas").hasMessageContaining("minimum");
    assertThatThrownBy(() -> Chart.render("defaults", Map.of("operator.replicas", -2)))
        .hasMessageContaining("/operator/replicas");
    assertThatThrownBy(() -> Chart.render("defaults", Map.of("proxy.image.repository", "")))
        .hasMessageContaining("/proxy/image/repository");
    assertThatThrownBy(() -> Chart.render("defaults", Map.of("backends[0].name", "b", "backends[0].spec.provider", "openia")))
        .hasMessageContaining("/backends/0/spec/provider").hasMessageContaining("openai");
    assertThatThrownBy(() -> Chart.render("defaults", Map.of("operator.watchNamespaces[0]", "Team_A")))
        .hasMessageContaining("/operator/watchNamespaces/0");
    assertThatThrownBy(() -> Chart.render("defaults", Map.of("operator.statusInterval", "5 seconds")))
        .hasMessageContaining("/operator/statusInterval");
    assertThatThrownBy(() -> Chart.render("defaults", Map.of("proxy.replica", 3)))
        .as("a misspelt value is not silently ignored").hasMessageContaining("replica");
    assertThatThrownBy(() -> Chart.render("defaults", Map.of("proxy.httpRoute.enabled", true)))
        .as("an HTTPRoute needs a Gateway").hasMessageContaining("parentRefs");
    assertThatThrownBy(() -> Chart.render("defaults", Map.of("responses.store", "disk")))
        .hasMessageContaining("/responses/store");
    assertThatThrownBy(() -> Chart.render("defaults", Map.of("responses.maxChars", 0)))
        .hasMessageContaining("/responses/maxChars");
    assertThatThrownBy(() -> Chart.render("defaults", Map.of("responses.ttl", "1 day")))
        .hasMessageContaining("/responses/ttl");
    assertThatThrownBy(() -> Chart.render("defaults", Map.of("redis.url", "redis.cache:6379")))
        .hasMessageContaining("/redis/url");
    assertThatThrownBy(() -> Chart.render("defaults", Map.of("responses.store", "redis")))
        .as("the redis store needs a Redis").hasMessageContaining("redis.url or redis.existingSecret");
    assertThatThrownBy(() -> Chart.render("defaults", Map.of("redis.url", "redis://r:6379", "redis.existingSecret", "r")))
        .hasMessageContaining("redis.url and redis.existingSecret exclude each other");
    assertThatThrownBy(() -> Chart.render("defaults", Map.of("auth.requireClientKey", "yes")))
        .hasMessageContaining("/auth/requireClientKey");
    assertThatThrownBy(() -> Chart.render("defaults", Map.of("redis.onError", "ignore")))
        .hasMessageContaining("/redis/onError");
    assertThatThrownBy(() -> Chart.render("defaults", Map.of("redis.url", "redis://r:6379", "redis.tls.caSecret", "redis-ca")))
        .as("a CA is for rediss://").hasMessageContaining("rediss://");
    assertThatThrownBy(() -> Chart.render("defaults", Map.of("redis.url", "rediss://default:hunter2@r:6380")))
        .as("a password stays out of the Deployment").hasMessageContaining("redis.existingSecret")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }

  @Test
  void theSchemaKnowsEveryProvider() throws IOException {
    JsonNode schema = new ObjectMapper().readTree(Chart.dir().resolve("values.schema.json").toFile());
    JsonNode providers = schema.at("/properties/backends/items/properties/spec/properties/provider/enum");
    TreeSet<String> inSchema = new TreeSet<>();
    providers.forEach(p -> inSchema.add(p.asText()));
    assertThat(inSchema).isEqualTo(new TreeSet<>(Arrays.stream(Provider.values()).map(Provider::wireName).toList()));
  }

  @Test
  void theAdminTokenIsGeneratedOnceAndKeptAcrossUpgrades() {
    String first = token(Chart.render("defaults"));
    assertThat(first).isNotEqualTo(token(Chart.render("defaults"))).as("each fresh install gets its own token");
    // Installed: an upgrade finds the Secret in the cluster and keeps its token.
    KubernetesClient cluster = Chart.cluster();
    Secret installed = new SecretBuilder().withNewMetadata().withName("sb-switchboard-admin-token").withNamespace(Chart.NAMESPACE)
        .endMetadata().addToData("token", first).build();
    cluster.secrets().inNamespace(Chart.NAMESPACE).resource(installed).create();
    try {
      assertThat(token(Chart.render("defaults"))).isEqualTo(first);
      assertThat(token(Chart.render("ha"))).isEqualTo(first);
    } finally {
      cluster.secrets().inNamespace(Chart.NAMESPACE).withName("sb-switchboard-admin-token").delete();
    }
  }

  private static String token(Chart.Rendered rendered) {
    return rendered.named(Secret.class, "sb-switchboard-admin-token").getData().get("token");
  }

  @Test
  void chartCrdsAreTheGeneratedOnes() throws IOException {
    Path generated = Chart.root().resolve("crds");
    Path inChart = Chart.dir().resolve("crds");
    List<String> names;
    try (Stream<Path> files = Files.list(generated)) {
      names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
    }
    assertThat(names).isNotEmpty();
    if (REGENERATE) {
      try (Stream<Path> old = Files.list(inChart)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
      for (String n : names) {
        Files.copy(generated.resolve(n), inChart.resolve(n));
      }
    }
    try (Stream<Path> files = Files.list(inChart)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .as("helm/switchboard/crds/ lists the files of crds/ (rerun with -Dswitchboard.regenerate=true)").isEqualTo(names);
    }
    for (String n : names) {
      String text = Files.readString(inChart.resolve(n));
      assertThat(text).as(n + " differs from crds/ (rerun with -Dswitchboard.regenerate=true)")
          .isEqualTo(Files.readString(generated.resolve(n)));
      CustomResourceDefinition crd = Serialization.unmarshal(text, CustomResourceDefinition.class);
      assertThat(crd.getSpec().getGroup()).isEqualTo("switchboard.dev");
      assertThat(Chart.unknownFields(crd)).as(n).isEmpty();
    }
  }

  @Test
  void readmeValuesTableMatchesValuesYaml() throws IOException {
    Path readme = Chart.dir().resolve("README.md");
    String table = ValuesTable.render(Files.readString(Chart.dir().resolve("values.yaml")));
    String text = Files.readString(readme);
    int start = text.indexOf(ValuesTable.BEGIN);
    int end = text.indexOf(ValuesTable.END);
    assertThat(start).as("README has the values table markers").isNotNegative();
    assertThat(end).isGreaterThan(start);
    String updated = text.substring(0, start + ValuesTable.BEGIN.length()) + "\n" + table + text.substring(end);
    if (REGENERATE) {
      Files.writeString(readme, updated);
    }
    assertThat(text).as("the chart README's values table is out of date (rerun with -Dswitchboard.regenerate=true)").isEqualTo(updated);
  }

  @Test
  void everyValueIsDocumented() throws IOException {
    List<ValuesTable.Row> rows = ValuesTable.rows(Files.readString(Chart.dir().resolve("values.yaml")));
    assertThat(rows).extracting(ValuesTable.Row::key).contains("operator.replicas", "proxy.replicas", "proxy.image.repository",
        "adminToken.existingSecret", "networkPolicy.enabled", "backends");
    assertThat(rows).allSatisfy(r -> assertThat(r.description()).as(r.key()).isNotBlank());
    // Every value is documented itself or as part of a documented block (resources, security contexts).
    JsonNode values = Chart.YAML.readTree(Chart.dir().resolve("values.yaml").toFile());
    List<String> documented = rows.stream().map(ValuesTable.Row::key).toList();
    List<String> undocumented = ValuesTable.leaves(values, "").stream()
        .filter(leaf -> documented.stream().noneMatch(d -> leaf.equals(d) || leaf.startsWith(d + "."))).toList();
    assertThat(undocumented).as("values without a '# --' comment").isEmpty();
  }
}
