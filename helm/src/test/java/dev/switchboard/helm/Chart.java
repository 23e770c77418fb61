package dev.switchboard.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.HashMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** The chart in the checkout, rendered by real Helm (helm-java) and read back as typed objects. */
final class Chart {
  static final String RELEASE = "sb";
  static final String NAMESPACE = "gateway";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static KubernetesMockServer cluster;

  private Chart() {}

  /**
   * The cluster Helm's {@code lookup} sees: a mock API server on loopback, named by the kubeconfig
   * the build points KUBECONFIG at. Started once; tests may put objects in it.
   */
  static synchronized KubernetesClient cluster() {
    if (cluster == null) {
      KubernetesMixedDispatcher crud = new KubernetesMixedDispatcher(new HashMap<>());
      // Helm discovers an API group before a lookup in it; the CRUD dispatcher would answer with a List.
      Map<String, String> discovery = Map.of(
          "/api/v1", Serialization.asJson(new APIResourceListBuilder().withGroupVersion("v1")
              .addNewResource().withName("secrets").withKind("Secret").withNamespaced(true).withSingularName("secret")
              .withVerbs("get", "list").endResource().build()),
          "/apis/apps/v1", Serialization.asJson(new APIResourceListBuilder().withGroupVersion("apps/v1")
              .addNewResource().withName("deployments").withKind("Deployment").withNamespaced(true).withSingularName("deployment")
              .withVerbs("get", "list").endResource().build()));
      Dispatcher dispatcher = new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          String path = request.getPath().replaceAll("\\?.*$", "");
          if (discovery.containsKey(path)) {
            return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(discovery.get(path));
          }
          return crud.dispatch(request);
        }
      };
      cluster = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
      cluster.init(java.net.InetAddress.getLoopbackAddress(), 0);
      String kubeconfig = """
          apiVersion: v1
          kind: Config
          clusters: [{name: mock, cluster: {server: "%s"}}]
          users: [{name: mock, user: {token: test}}]
          contexts: [{name: mock, context: {cluster: mock, user: mock}}]
          current-context: mock
          """.formatted(cluster.url("/").replaceAll("/$", ""));
      try {
        Files.writeString(Path.of(System.getProperty("switchboard.kubeconfig")), kubeconfig);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return cluster.createClient();
  }

  static Path root() {
    String configured = System.getProperty("switchboard.repoRoot");
    Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
    for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("switchboard")) && Files.isDirectory(p.resolve("helm/switchboard"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository root from " + start);
  }

  static Path dir() {
    return root().resolve("helm/switchboard");
  }

  static Path valuesFile(String set) {
    return root().resolve("helm/src/test/resources/values/" + set + ".yaml");
  }

  /** {@code helm template} with a named values set ("defaults" for none) and extra --set pairs. */
  static Rendered render(String set, Map<String, Object> sets) {
    cluster();
    TemplateCommand template = new Helm(dir()).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion("1.31.0");
    if (!set.equals("defaults")) {
      template = template.withValuesFile(valuesFile(set));
    }
    for (Map.Entry<String, Object> e : sets.entrySet()) {
      template = template.set(e.getKey(), e.getValue());
    }
    return Rendered.of(template.call());
  }

  static Rendered render(String set) {
    return render(set, Map.of());
  }

  /** The documents of one rendering: raw trees, and the Kubernetes objects among them typed. */
  record Rendered(String text, List<JsonNode> documents) {
    static Rendered of(String text) {
      List<JsonNode> docs = new ArrayList<>();
      try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(text)) {
        YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
          if (d != null && !d.isNull() && !d.isEmpty()) {
            docs.add(d);
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Rendered(text, docs);
    }

    List<JsonNode> ofKind(String kind) {
      return documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    <T extends HasMetadata> List<T> typed(Class<T> type) {
      return documents.stream().filter(d -> d.path("kind").asText().equals(kindOf(type)))
          .map(d -> Serialization.unmarshal(d.toString(), type)).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, Predicate<T> which) {
      List<T> found = typed(type).stream().filter(which).toList();
      assertThat(found).as("one %s", type.getSimpleName()).hasSize(1);
      return found.get(0);
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
      return one(type, o -> o.getMetadata().getName().equals(name));
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
      return typed(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    private static String kindOf(Class<?> type) {
      return type.getSimpleName();
    }
  }

  /**
   * Paths of fields the typed model did not know: fabric8 keeps them in additionalProperties
   * instead of failing, so a misspelt or misplaced field would otherwise pass unnoticed.
   */
  static List<String> unknownFields(Object object) {
    List<String> found = new ArrayList<>();
    walk(object, "", found);
    return found;
  }

  private static void walk(Object value, String path, List<String> found) {
    if (value == null) {
      return;
    }
    if (value instanceof Collection<?> c) {
      int i = 0;
      for (Object item : c) {
        walk(item, path + "[" + i++ + "]", found);
      }
      return;
    }
    if (value instanceof Map<?, ?> m) {
      m.forEach((k, v) -> walk(v, path + "." + k, found));
      return;
    }
    if (!(value instanceof KubernetesResource) && !value.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive() || f.getType().isEnum()) {
          continue;
        }
        try {
          f.setAccessible(true);
          Object v = f.get(value);
          if (f.getName().equals("additionalProperties") && v instanceof Map<?, ?> extra) {
            extra.keySet().forEach(k -> found.add(path + "." + k));
          } else if (!(v instanceof String) && !(v instanceof Number) && !(v instanceof Boolean)) {
            walk(v, path + "." + f.getName(), found);
          }
        } catch (ReflectiveOperationException | RuntimeException e) {
          throw new IllegalStateException("cannot read " + c.getName() + "." + f.getName(), e);
        }
      }
    }
  }
}
