package dev.switchboard.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.validation.ResourceValidator;
import dev.switchboard.validation.Validation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code helm template} for several value sets, read back as typed objects and checked. */
class ChartRenderTest {
  private static final String OPERATOR = Chart.RELEASE + "-switchboard-operator";
  private static final String PROXY = Chart.RELEASE + "-switchboard-proxy";

  @ParameterizedTest
  @ValueSource(strings = {"defaults", "ha", "ingress", "existing-secrets", "namespaced", "all-features"})
  void everyDocumentIsAKnownTypedObjectWithNoUnknownField(String set) {
    Chart.Rendered rendered = Chart.render(set);
    assertThat(rendered.documents()).isNotEmpty();
    ResourceValidator validator = ResourceValidator.fromClasspath();
    for (JsonNode doc : rendered.documents()) {
      String kind = doc.path("kind").asText();
      String what = kind + " " + doc.path("metadata").path("name").asText();
      if (kind.equals("ChatBackend") || kind.equals("ModelRoute")) {
        // Our own kinds: judged by the CRD's schema and CEL rules, which reject unknown fields.
        Validation v = validator.validate(doc);
        assertThat(v.violations()).as(what).isEmpty();
        continue;
      }
      HasMetadata typed = Serialization.unmarshal(doc.toString());
      assertThat(typed.getClass().getName()).as(what + " has a typed model").doesNotContain("GenericKubernetesResource");
      assertThat(Chart.unknownFields(typed)).as(what + ": fields the Kubernetes API does not know").isEmpty();
      assertThat(typed.getMetadata().getLabels()).as(what).containsEntry("app.kubernetes.io/instance", Chart.RELEASE)
          .containsEntry("app.kubernetes.io/managed-by", "Helm").containsKey("helm.sh/chart");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"defaults", "ha", "all-features"})
  void podsRunUnderTheRestrictedPodSecurityStandard(String set) {
    Chart.Rendered rendered = Chart.render(set);
    for (Deployment d : rendered.typed(Deployment.class)) {
      PodSpec pod = d.getSpec().getTemplate().getSpec();
      String what = d.getMetadata().getName();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(what).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).as(what).isPositive();
      assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as(what).isEqualTo("RuntimeDefault");
      assertThat(pod.getHostNetwork()).as(what).isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getVolumes()).as(what).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
      for (Container c : java.util.stream.Stream.concat(pod.getContainers().stream(), pod.getInitContainers().stream()).toList()) {
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(what).isFalse();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(what).isTrue();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(what).containsExactly("ALL");
        assertThat(c.getSecurityContext().getCapabilities().getAdd()).as(what).isNullOrEmpty();
        assertThat(c.getSecurityContext().getPrivileged()).as(what).isNotEqualTo(Boolean.TRUE);
        assertThat(c.getResources().getLimits()).as(what).containsKey("memory");
        // A read-only root still needs a writable /tmp for the JVM.
        assertThat(c.getVolumeMounts()).as(what).anyMatch(m -> m.getMountPath().equals("/tmp"));
      }
    }
  }

  @Test
  void proxyPodsMatchWhatTheOperatorLooksFor() {
    Chart.Rendered rendered = Chart.render("defaults");
    Deployment operator = rendered.named(Deployment.class, OPERATOR);
    Deployment proxy = rendered.named(Deployment.class, PROXY);
    Map<String, String> env = env(operator.getSpec().getTemplate().getSpec().getContainers().get(0));
    Map<String, String> selector = Arrays.stream(env.get("SWITCHBOARD_PROXY_SELECTOR").split(","))
        .map(s -> s.split("=", 2)).collect(Collectors.toMap(p -> p[0], p -> p[1]));
    assertThat(selector).containsEntry("app.kubernetes.io/component", "proxy").containsEntry("app.kubernetes.io/instance", Chart.RELEASE);
    assertThat(proxy.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(selector);
    // ...and no operator pod carries them.
    assertThat(operator.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainEntry("app.kubernetes.io/component", "proxy");
    assertThat(env).containsEntry("SWITCHBOARD_PROXY_NAMESPACE", Chart.NAMESPACE)
        .containsEntry("SWITCHBOARD_SNAPSHOT_SECRET", "sb-switchboard-routing-snapshot")
        .containsEntry("SWITCHBOARD_LEADER_ELECTION", "false")
        .containsEntry("SWITCHBOARD_WATCH_NAMESPACES", "");

    Container proxyContainer = proxy.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(proxyContainer.getPorts()).anyMatch(p -> p.getName().equals("admin") && p.getContainerPort() == 9090)
        .anyMatch(p -> p.getName().equals("http") && p.getContainerPort() == 8080);
    assertThat(proxyContainer.getArgs()).contains("--admin-port=9090", "--port=8080",
        "--snapshot=/etc/switchboard/snapshot/config.json.gz",
        // Helm reads values.yaml numbers as floats: a million or more would print as 1.048576e+07.
        "--max-body-bytes=10485760");
    // The snapshot the operator writes is what the proxy mounts, optional until the operator wrote it.
    assertThat(proxy.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v -> {
      assertThat(v.getSecret().getSecretName()).isEqualTo(env.get("SWITCHBOARD_SNAPSHOT_SECRET"));
      assertThat(v.getSecret().getOptional()).isTrue();
    });
    assertThat(proxyContainer.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/etc/switchboard/snapshot"));
    // Both sides hold the same admin token.
    assertThat(proxyContainer.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("SWITCHBOARD_ADMIN_TOKEN");
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("sb-switchboard-admin-token");
    });
    Secret token = rendered.named(Secret.class, "sb-switchboard-admin-token");
    assertThat(token.getData().get("token")).isNotBlank();
    assertThat(new String(java.util.Base64.getDecoder().decode(token.getData().get("token")))).hasSize(48);
  }

  @Test
  void probesAndGracefulTermination() {
    Chart.Rendered rendered = Chart.render("defaults", Map.of("proxy.terminationGracePeriodSeconds", 300));
    Container proxy = rendered.named(Deployment.class, PROXY).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(proxy.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(proxy.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
    assertThat(proxy.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    // preStop pause (no shell in the image: the sleep action), then the proxy drains streams
    // for the rest of the grace period, minus a margin before the kubelet's SIGKILL.
    assertThat(proxy.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(5L);
    assertThat(proxy.getLifecycle().getPreStop().getExec()).isNull();
    assertThat(rendered.named(Deployment.class, PROXY).getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(300L);
    assertThat(proxy.getArgs()).contains("--shutdown-grace=290s");

    Container operator = rendered.named(Deployment.class, OPERATOR).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getPorts()).anyMatch(p -> p.getName().equals("metrics") && p.getContainerPort() == 8081);
    assertThat(env(operator)).containsEntry("SWITCHBOARD_OPERATOR_PORT", "8081");
  }

  @Test
  void onlyTheOperatorReachesTheAdminPort() {
    Chart.Rendered rendered = Chart.render("defaults");
    NetworkPolicy policy = rendered.named(NetworkPolicy.class, PROXY);
    Deployment proxy = rendered.named(Deployment.class, PROXY);
    Deployment operator = rendered.named(Deployment.class, OPERATOR);
    assertThat(proxy.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
    NetworkPolicyIngressRule admin = rules.stream().filter(r -> r.getPorts().stream().anyMatch(p -> "admin".equals(p.getPort().getStrVal())))
        .findFirst().orElseThrow();
    assertThat(admin.getPorts()).hasSize(1);
    assertThat(admin.getFrom()).hasSize(1);
    Map<String, String> allowed = admin.getFrom().get(0).getPodSelector().getMatchLabels();
    assertThat(operator.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(allowed);
    assertThat(proxy.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainEntry("app.kubernetes.io/component", "operator");
    assertThat(admin.getFrom().get(0).getNamespaceSelector()).isNull();
    // The public port is open to all; no other port is.
    assertThat(rules).hasSize(2);
    assertThat(rules).anySatisfy(r -> {
      assertThat(r.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("http"));
      assertThat(r.getFrom()).isNullOrEmpty();
    });
    // The Service exposes the public port only.
    Service service = rendered.named(Service.class, "sb-switchboard");
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));
    assertThat(proxy.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(service.getSpec().getSelector());
    // The proxies need no Kubernetes API token.
    assertThat(proxy.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(rendered.named(ServiceAccount.class, PROXY).getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void autoscalerAndDisruptionBudgetFollowReplicas() {
    Chart.Rendered defaults = Chart.render("defaults");
    assertThat(defaults.typed(HorizontalPodAutoscaler.class)).singleElement().satisfies(h -> {
      assertThat(h.getSpec().getMinReplicas()).isEqualTo(2);
      assertThat(h.getSpec().getScaleTargetRef().getName()).isEqualTo(PROXY);
    });
    assertThat(defaults.typed(PodDisruptionBudget.class)).hasSize(1);
    // The autoscaler owns the replica count, so an upgrade does not reset it.
    assertThat(defaults.named(Deployment.class, PROXY).getSpec().getReplicas()).isNull();

    Chart.Rendered single = Chart.render("namespaced");
    assertThat(single.typed(HorizontalPodAutoscaler.class)).isEmpty();
    assertThat(single.typed(PodDisruptionBudget.class)).isEmpty();
    assertThat(single.named(Deployment.class, PROXY).getSpec().getReplicas()).isEqualTo(1);

    Chart.Rendered forcedOff = Chart.render("ha", Map.of("proxy.autoscaling.enabled", false));
    assertThat(forcedOff.typed(HorizontalPodAutoscaler.class)).isEmpty();
    assertThat(forcedOff.named(Deployment.class, PROXY).getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void leaderElectionIsOnWithMoreThanOneOperator() {
    Deployment one = Chart.render("defaults").named(Deployment.class, OPERATOR);
    assertThat(env(one.getSpec().getTemplate().getSpec().getContainers().get(0))).containsEntry("SWITCHBOARD_LEADER_ELECTION", "false");
    assertThat(one.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    Deployment two = Chart.render("ha").named(Deployment.class, OPERATOR);
    assertThat(two.getSpec().getReplicas()).isEqualTo(2);
    assertThat(env(two.getSpec().getTemplate().getSpec().getContainers().get(0))).containsEntry("SWITCHBOARD_LEADER_ELECTION", "true")
        .containsEntry("SWITCHBOARD_LEASE_NAME", OPERATOR);
    assertThat(two.getSpec().getStrategy()).isNull();
  }

  @Test
  void existingSecretsAreUsedInsteadOfGeneratedOnes() {
    Chart.Rendered rendered = Chart.render("existing-secrets");
    assertThat(rendered.typed(Secret.class)).isEmpty();
    Map<String, String> env = env(rendered.named(Deployment.class, OPERATOR).getSpec().getTemplate().getSpec().getContainers().get(0));
    assertThat(env).containsEntry("SWITCHBOARD_CLIENT_KEYS_SECRET", Chart.NAMESPACE + "/client-keys")
        .containsEntry("SWITCHBOARD_SNAPSHOT_SECRET", "my-snapshot");
    for (Deployment d : rendered.typed(Deployment.class)) {
      EnvVar token = d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
          .filter(e -> e.getName().equals("SWITCHBOARD_ADMIN_TOKEN")).findFirst().orElseThrow();
      assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("my-admin-token");
      assertThat(token.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("admin");
    }
    assertThat(rendered.named(Deployment.class, PROXY).getSpec().getTemplate().getSpec().getVolumes())
        .anyMatch(v -> v.getSecret() != null && v.getSecret().getSecretName().equals("my-snapshot"));
    EnvVar redis = proxyEnv(rendered, "SWITCHBOARD_REDIS_URL").orElseThrow();
    assertThat(redis.getValueFrom().getSecretKeyRef().getName()).isEqualTo("redis-url");
    assertThat(redis.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("url");
  }

  @Test
  void theResponseStoreIsTheProxysDefaultUnlessSet() {
    Chart.Rendered defaults = Chart.render("defaults");
    assertThat(proxyEnv(defaults, "SWITCHBOARD_REDIS_URL")).isEmpty();
    assertThat(proxyArgs(defaults)).noneMatch(a -> a.startsWith("--response-") || a.startsWith("--redis"));

    // A URL without a password is a plain value, in the environment (never --redis on the command line).
    Chart.Rendered url = Chart.render("defaults", Map.of("redis.url", "redis://redis.cache:6379/2"));
    assertThat(proxyEnv(url, "SWITCHBOARD_REDIS_URL")).hasValueSatisfying(e -> {
      assertThat(e.getValue()).isEqualTo("redis://redis.cache:6379/2");
      assertThat(e.getValueFrom()).isNull();
    });
    assertThat(proxyArgs(url)).noneMatch(a -> a.startsWith("--redis") || a.startsWith("--response-store"));

    // One with a password comes from a Secret, under the key named.
    Chart.Rendered secret = Chart.render("defaults", Map.of("redis.existingSecret", "cache-url", "redis.existingSecretKey", "redis-uri"));
    assertThat(proxyEnv(secret, "SWITCHBOARD_REDIS_URL")).hasValueSatisfying(e -> {
      assertThat(e.getValue()).isNull();
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("cache-url");
      assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("redis-uri");
    });

    Chart.Rendered store = Chart.render("defaults", Map.of("responses.store", "none", "responses.maxChars", 1000000,
        "responses.ttl", "90m"));
    assertThat(proxyArgs(store)).contains("--response-store=none", "--response-store-chars=1000000", "--response-ttl=90m");
    assertThat(proxyEnv(store, "SWITCHBOARD_REDIS_URL")).isEmpty();

    // From a values file the number is a float to Helm; it must still reach the proxy as digits.
    Chart.Rendered all = Chart.render("all-features");
    assertThat(proxyArgs(all)).contains("--response-store=redis", "--response-store-chars=33554432", "--response-ttl=1.5h");
    assertThat(proxyEnv(all, "SWITCHBOARD_REDIS_URL")).hasValueSatisfying(e -> {
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("redis-url");
      assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("uri");
    });
  }

  @Test
  void newInstallsRequireAClientKeyAndUpgradesKeepWhatRuns() {
    assertThat(requireClientKey(Chart.render("defaults"))).as("a new install").isEqualTo("true");
    assertThat(requireClientKey(Chart.render("defaults", Map.of("auth.requireClientKey", false)))).isEqualTo("false");
    KubernetesClient cluster = Chart.cluster();
    try {
      // A release from before ClientKey without keys was open: an upgrade keeps it open.
      installed(cluster, Map.of());
      assertThat(requireClientKey(Chart.render("defaults"))).as("an open release upgraded").isEqualTo("false");
      assertThat(requireClientKey(Chart.render("defaults", Map.of("auth.requireClientKey", true)))).as("closed on request").isEqualTo("true");
      // ...and one that had clientKeys.existingSecret required keys, and still does.
      installed(cluster, Map.of("SWITCHBOARD_CLIENT_KEYS_SECRET", Chart.NAMESPACE + "/client-keys"));
      assertThat(requireClientKey(Chart.render("defaults"))).isEqualTo("true");
      // A release that already decided keeps its decision, whichever it was.
      installed(cluster, Map.of("SWITCHBOARD_REQUIRE_CLIENT_KEY", "false"));
      assertThat(requireClientKey(Chart.render("ha"))).isEqualTo("false");
      installed(cluster, Map.of("SWITCHBOARD_REQUIRE_CLIENT_KEY", "true"));
      assertThat(requireClientKey(Chart.render("defaults"))).isEqualTo("true");
      assertThat(requireClientKey(Chart.render("defaults", Map.of("auth.requireClientKey", false)))).isEqualTo("false");
    } finally {
      cluster.apps().deployments().inNamespace(Chart.NAMESPACE).withName(OPERATOR).delete();
    }
  }

  /** The operator Deployment of an installed release, with these environment variables. */
  private static void installed(KubernetesClient cluster, Map<String, String> env) {
    cluster.apps().deployments().inNamespace(Chart.NAMESPACE).withName(OPERATOR).delete();
    List<EnvVar> vars = env.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList();
    cluster.apps().deployments().inNamespace(Chart.NAMESPACE).resource(new DeploymentBuilder().withNewMetadata().withName(OPERATOR)
        .withNamespace(Chart.NAMESPACE).endMetadata().withNewSpec().withNewTemplate().withNewSpec()
        .addNewContainer().withName("operator").withEnv(vars).endContainer().endSpec().endTemplate().endSpec().build()).create();
  }

  private static String requireClientKey(Chart.Rendered rendered) {
    return env(rendered.named(Deployment.class, OPERATOR).getSpec().getTemplate().getSpec().getContainers().get(0))
        .get("SWITCHBOARD_REQUIRE_CLIENT_KEY");
  }

  @Test
  void egressProxiesBecomeTheProxysEnvironmentWithCredentialsFromASecret() {
    assertThat(env(proxyContainer(Chart.render("defaults", Map.of())))).doesNotContainKeys("HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY");
    Container plain = proxyContainer(Chart.render("defaults", Map.of("egress.httpsProxy", "http://proxy.internal:3128",
        "egress.noProxy", ".svc.cluster.local")));
    assertThat(env(plain)).containsEntry("HTTPS_PROXY", "http://proxy.internal:3128").containsEntry("NO_PROXY", ".svc.cluster.local");
    Container secret = proxyContainer(Chart.render("defaults", Map.of("egress.existingSecret", "egress-proxy")));
    assertThat(secret.getEnv()).filteredOn(e -> e.getName().equals("HTTPS_PROXY")).singleElement().satisfies(e -> {
      assertThat(e.getValue()).isNull();
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("egress-proxy");
      assertThat(e.getValueFrom().getSecretKeyRef().getOptional()).isTrue();
    });
  }

  @Test
  void corsOriginsBecomeProxyFlagsAndNoneByDefault() {
    assertThat(proxyContainer(Chart.render("defaults", Map.of())).getArgs()).noneMatch(a -> a.startsWith("--cors-origin"));
    Chart.Rendered rendered = Chart.render("defaults", Map.of("cors.origins[0]", "https://app.example.com",
        "cors.origins[1]", "http://localhost:3000"));
    assertThat(proxyContainer(rendered).getArgs()).contains("--cors-origin=https://app.example.com", "--cors-origin=http://localhost:3000");
  }

  @Test
  void aPrivateRedisCaIsAddedToTheProxysTrustStore() {
    Chart.Rendered plain = Chart.render("defaults", Map.of("redis.url", "rediss://redis.cache:6380"));
    assertThat(proxyContainer(plain).getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("JDK_JAVA_OPTIONS");
      assertThat(e.getValue()).doesNotContain("trustStore");
    });
    assertThat(plain.named(Deployment.class, PROXY).getSpec().getTemplate().getSpec().getInitContainers()).isEmpty();

    Chart.Rendered rendered = Chart.render("defaults", Map.of("redis.url", "rediss://redis.cache:6380", "redis.tls.caSecret", "redis-ca",
        "redis.onError", "closed"));
    PodSpec pod = rendered.named(Deployment.class, PROXY).getSpec().getTemplate().getSpec();
    Container proxy = pod.getContainers().get(0);
    assertThat(proxy.getArgs()).contains("--on-redis-error=closed");
    String store = "/etc/switchboard/truststore/truststore.p12";
    assertThat(env(proxy).get("JDK_JAVA_OPTIONS")).startsWith("-Xmx128m").contains("-Djavax.net.ssl.trustStore=" + store,
        "-Djavax.net.ssl.trustStoreType=PKCS12");
    assertThat(proxy.getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getMountPath()).isEqualTo("/etc/switchboard/truststore");
      assertThat(m.getReadOnly()).isTrue();
    });
    // First the runtime's public CAs (providers keep working), then the Redis CA, with the image's own keytool.
    assertThat(pod.getInitContainers()).hasSize(2).allSatisfy(c -> {
      assertThat(c.getImage()).isEqualTo(proxy.getImage());
      assertThat(c.getCommand()).containsExactly("/opt/switchboard/runtime/bin/keytool");
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(c.getResources().getLimits()).containsKey("memory");
    });
    assertThat(pod.getInitContainers().get(0).getArgs()).contains("-importkeystore", "/opt/switchboard/runtime/lib/security/cacerts", store);
    assertThat(pod.getInitContainers().get(1).getArgs()).contains("-importcert", "/etc/switchboard/redis-ca/ca.crt", store);
    assertThat(pod.getVolumes()).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("redis-ca");
      assertThat(v.getSecret().getSecretName()).isEqualTo("redis-ca");
    });
    // The operator never talks to Redis.
    assertThat(rendered.named(Deployment.class, OPERATOR).getSpec().getTemplate().getSpec().getInitContainers()).isEmpty();
    assertThat(proxyArgs(Chart.render("defaults"))).noneMatch(a -> a.startsWith("--on-redis-error"));
  }

  @Test
  void ingressAndHttpRouteSendV1ToTheService() {
    Ingress ingress = Chart.render("ingress").named(Ingress.class, "sb-switchboard");
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ingress.getSpec().getRules()).singleElement().satisfies(r -> {
      assertThat(r.getHost()).isEqualTo("llm.example.com");
      assertThat(r.getHttp().getPaths()).singleElement().satisfies(p -> {
        assertThat(p.getPath()).isEqualTo("/v1");
        assertThat(p.getBackend().getService().getName()).isEqualTo("sb-switchboard");
        assertThat(p.getBackend().getService().getPort().getName()).isEqualTo("http");
      });
    });
    assertThat(ingress.getSpec().getTls()).singleElement().satisfies(t -> assertThat(t.getSecretName()).isEqualTo("llm-tls"));

    Chart.Rendered all = Chart.render("all-features");
    HTTPRoute route = all.named(HTTPRoute.class, "sb-switchboard");
    assertThat(route.getSpec().getParentRefs()).singleElement().satisfies(p -> assertThat(p.getName()).isEqualTo("public"));
    assertThat(route.getSpec().getRules()).singleElement().satisfies(r -> {
      assertThat(r.getMatches().get(0).getPath().getValue()).isEqualTo("/v1");
      assertThat(r.getBackendRefs().get(0).getName()).isEqualTo("sb-switchboard");
      assertThat(r.getBackendRefs().get(0).getPort()).isEqualTo(80);
      assertThat(r.getTimeouts().getRequest()).isEqualTo("10m");
    });
    assertThat(all.typed(ServiceMonitor.class)).hasSize(2).allSatisfy(m -> {
      assertThat(m.getMetadata().getLabels()).containsEntry("release", "prometheus");
      assertThat(m.getSpec().getEndpoints()).singleElement().satisfies(e -> assertThat(e.getPath()).isEqualTo("/metrics"));
    });
    // Metrics Services select the pods whose /metrics they expose, on the right port.
    Service proxyMetrics = all.named(Service.class, "sb-switchboard-proxy-metrics");
    assertThat(proxyMetrics.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("admin"));
    assertThat(all.named(Deployment.class, PROXY).getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(proxyMetrics.getSpec().getSelector());
    // Prometheus may reach the admin port when the user allows it.
    NetworkPolicy policy = all.named(NetworkPolicy.class, PROXY);
    assertThat(policy.getSpec().getIngress()).anySatisfy(r -> assertThat(r.getFrom()).hasSize(2));
  }

  @Test
  void backendsAndRoutesFromValuesBecomeResources() {
    Chart.Rendered rendered = Chart.render("all-features");
    assertThat(rendered.ofKind("ChatBackend")).singleElement().satisfies(b -> {
      assertThat(b.path("metadata").path("namespace").asText()).isEqualTo(Chart.NAMESPACE);
      assertThat(b.path("spec").path("provider").asText()).isEqualTo("mock");
    });
    assertThat(rendered.ofKind("ModelRoute")).singleElement()
        .satisfies(r -> assertThat(r.path("spec").path("model").asText()).isEqualTo("chat"));
  }

  @Test
  void notesSayHowToReachTheApiAndApplyAFirstBackend() {
    Chart.cluster(); // lookup asks the loopback mock API server
    String notes = new com.marcnuri.helm.Helm(Chart.dir()).install().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE)
        .withKubeVersion("1.31.0").clientOnly().dryRun().call().getOutput();
    assertThat(notes).contains("Service sb-switchboard (port 80)", "http://sb-switchboard.gateway.svc.cluster.local/v1",
        "kubectl -n gateway port-forward svc/sb-switchboard 8080:80", "curl -s http://localhost:8080/v1/chat/completions",
        "kubectl apply -n gateway -f examples/quickstart/", "Helm never upgrades CRDs");
    assertThat(notes).doesNotContain("token");
    // A new install requires a key, and says how to make one and read it.
    assertThat(notes).contains("The API requires a client key", "kind: ClientKey", "kubectl get ck -n gateway",
        "kubectl get secret -n gateway team-a-client-key -o jsonpath='{.data.api-key}' | base64 -d",
        "-H \"authorization: Bearer $YOUR_CLIENT_KEY\"").doesNotContain("GATEWAY IS OPEN", "auth.requireClientKey=false");
    // Open by choice: it says so, and how to close it.
    String open = new com.marcnuri.helm.Helm(Chart.dir()).install().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE)
        .withKubeVersion("1.31.0").set("auth.requireClientKey", false).clientOnly().dryRun().call().getOutput();
    assertThat(open).contains("The API is open (auth.requireClientKey=false)", "--set auth.requireClientKey=true", "kind: ClientKey")
        .doesNotContain("authorization: Bearer", "The API requires a client key");
  }

  @Test
  void notesOfAnUpgradeKeptOpenSaySoAndHowToCloseIt(@TempDir Path temp) throws IOException {
    // helm template leaves NOTES.txt out, and a client-only dry run cannot look the release up:
    // a copy of the chart renders the notes into a ConfigMap, with the mock cluster's lookup.
    Path copy = temp.resolve("switchboard");
    try (var files = Files.walk(Chart.dir())) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = copy.resolve(Chart.dir().relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    Files.copy(Chart.dir().resolve("templates/NOTES.txt"), copy.resolve("notes.txt"));
    Files.writeString(copy.resolve("templates/zz-notes.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: notes
        data:
          notes: {{ tpl (.Files.Get "notes.txt") . | toJson }}
        """);
    KubernetesClient cluster = Chart.cluster();
    try {
      installed(cluster, Map.of());
      String notes = Chart.Rendered.of(new com.marcnuri.helm.Helm(copy).template().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE)
          .withKubeVersion("1.31.0").call()).ofKind("ConfigMap").stream().filter(c -> c.path("metadata").path("name").asText().equals("notes"))
          .findFirst().orElseThrow().path("data").path("notes").asText();
      assertThat(notes).contains("THIS GATEWAY IS OPEN", "--set auth.requireClientKey=true", "kind: ClientKey",
          "team-a-client-key -o jsonpath='{.data.api-key}' | base64 -d").doesNotContain("authorization: Bearer", "token");
    } finally {
      cluster.apps().deployments().inNamespace(Chart.NAMESPACE).withName(OPERATOR).delete();
    }
  }

  @Test
  void theUnknownFieldCheckCatchesAMisplacedField() {
    // extraEnv is passed through as written: a misspelt field inside it must not go unnoticed.
    Chart.Rendered rendered = Chart.render("defaults", Map.of("proxy.extraEnv[0].name", "EXTRA", "proxy.extraEnv[0].valu", "1"));
    assertThat(Chart.unknownFields(rendered.named(Deployment.class, PROXY))).singleElement().asString().endsWith(".valu");
  }

  private static Container proxyContainer(Chart.Rendered rendered) {
    return rendered.named(Deployment.class, PROXY).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static List<String> proxyArgs(Chart.Rendered rendered) {
    return proxyContainer(rendered).getArgs();
  }

  private static java.util.Optional<EnvVar> proxyEnv(Chart.Rendered rendered, String name) {
    List<EnvVar> found = proxyContainer(rendered).getEnv().stream().filter(e -> e.getName().equals(name)).toList();
    assertThat(found).as(name + " set at most once").hasSizeLessThan(2);
    return found.stream().findFirst();
  }

  static Map<String, String> env(Container c) {
    Map<String, String> env = new HashMap<>();
    c.getEnv().forEach(e -> env.put(e.getName(), e.getValue() == null ? "(from " + e.getValueFrom() + ")" : e.getValue()));
    return env;
  }
}
