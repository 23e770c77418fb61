package dev.switchboard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every request the operator makes, recorded by the mock API server through a scenario that
 * exercises all of it (leader election, resources, Secrets, proxies, status, events), is allowed
 * by {@link Permissions}, which the chart's RBAC is checked against.
 */
@EnableKubernetesMockClient(crud = true)
class PermissionsTest {
  private static final Pattern PATH = Pattern.compile(
      "^/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/[^/]+)?/([a-z]+)(?:/([^/?]+))?(?:/([a-z]+))?(?:\\?(.*))?$");

  private static final String AGENT = "switchboard-operator-under-test";

  KubernetesClient client;
  KubernetesMockServer server;

  @Test
  void everyRequestTheOperatorMakesIsAllowed() throws Exception {
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews").andReturn(201,
        new SelfSubjectRulesReviewBuilder().withNewMetadata().endMetadata().withNewStatus().withIncomplete(false)
            .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*").endResourceRule()
            .endStatus().build()).always();
    int before = server.getRequestCount();
    for (int i = 0; i < before; i++) {
      server.takeRequest();
    }
    KubernetesClient operatorClient = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration()).withUserAgent(AGENT).build()).build();
    try (operatorClient; SwitchboardOperator operator = OperatorHarness.start(operatorClient, OperatorHarness.settings(true, "rbac"))) {
      await().atMost(Duration.ofSeconds(20)).until(operator::leading);
      OperatorHarness.apply(client, """
          apiVersion: v1
          kind: Secret
          metadata: {name: keys}
          stringData: {k: sk-x}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: b}
          spec: {provider: openai, credentials: {secretRef: {name: keys, key: k}}, models: [{name: m}]}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: private}
          spec: {provider: openai-compatible, url: "https://vllm.internal/v1", models: [{name: m}], tls: {ca: {configMapRef: {name: corp-ca, key: ca.crt}}}}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: r}
          spec: {model: m, targets: [{backendRef: {name: b}}]}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ClientKey
          metadata: {name: team}
          spec: {models: [m]}
          """);
      // Accepted comes with the first compile; its transition is recorded as an Event.
      await().atMost(Duration.ofSeconds(20)).until(() -> accepted(OperatorHarness.route(client, "default", "r").getStatus() == null ? null : OperatorHarness.route(client, "default", "r").getStatus().conditions())
          && accepted(OperatorHarness.backend(client, "default", "b").getStatus() == null ? null : OperatorHarness.backend(client, "default", "b").getStatus().conditions())
          && !client.v1().events().inNamespace("default").list().getItems().isEmpty()
          && clientKeyReady()
          && client.secrets().inNamespace(OperatorHarness.PROXY_NAMESPACE).withName("switchboard-routing-snapshot").get() != null);
    }
    Set<String> made = new TreeSet<>();
    Set<String> denied = new TreeSet<>();
    RecordedRequest request;
    while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
      String path = request.getPath();
      if (isTestClient(request)) {
        continue;
      }
      Matcher m = PATH.matcher(path);
      if (!m.matches()) {
        denied.add("unparsed " + request.getMethod() + " " + path);
        continue;
      }
      String group = m.group(1) == null ? "" : m.group(1);
      String resource = m.group(2) + (m.group(4) == null ? "" : "/" + m.group(4));
      String verb = verb(request.getMethod(), m.group(3) != null, m.group(5));
      String call = verb + " " + (group.isEmpty() ? "" : group + "/") + resource;
      made.add(call);
      if (!Permissions.allows(group, resource, verb)) {
        denied.add(call);
      }
    }
    assertThat(denied).as("requests the operator made that Permissions does not allow").isEmpty();
    Set<String> listed = new TreeSet<>();
    for (Permissions.Rule rule : Permissions.RULES) {
      rule.verbs().forEach(v -> listed.add(v + " " + (rule.apiGroup().isEmpty() ? "" : rule.apiGroup() + "/") + rule.resource()));
    }
    listed.removeAll(Permissions.UNEXERCISED);
    assertThat(made).as("Permissions lists only what the operator uses").containsAll(listed);
  }

  /** The generated key's Secret is created and the ClientKey's status written. */
  private boolean clientKeyReady() {
    var key = client.resources(dev.switchboard.api.v1alpha1.ClientKey.class).inNamespace("default").withName("team").get();
    return key != null && key.getStatus() != null && key.getStatus().conditions() != null
        && key.getStatus().conditions().stream().anyMatch(c -> "Ready".equals(c.type()) && "True".equals(c.status()));
  }

  private static boolean accepted(java.util.List<dev.switchboard.api.v1alpha1.Condition> conditions) {
    return conditions != null && conditions.stream().anyMatch(c -> c.type().equals("Accepted") && c.isTrue());
  }

  /** The test's own client (applying YAML, reading status) is not the operator's. */
  private static boolean isTestClient(RecordedRequest request) {
    return !AGENT.equals(request.getHeader("User-Agent"));
  }

  private static String verb(String method, boolean named, String query) {
    boolean watch = query != null && query.contains("watch=true");
    return switch (method) {
      case "GET" -> watch ? "watch" : named ? "get" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> method.toLowerCase();
    };
  }
}
