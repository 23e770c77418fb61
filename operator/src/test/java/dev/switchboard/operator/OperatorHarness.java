package dev.switchboard.operator;

import dev.switchboard.api.v1alpha1.ChatBackend;
import dev.switchboard.api.v1alpha1.ModelRoute;
import dev.switchboard.config.SecretValue;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Starts the real operator against a (mock) API server and applies YAML the way kubectl would. */
public final class OperatorHarness {
  public static final String PROXY_NAMESPACE = "switchboard";
  public static final String TOKEN = "operator-test-admin-token";

  private OperatorHarness() {}

  /** The same settings with the public API requiring a key. */
  public static OperatorSettings requiringClientKeys(OperatorSettings s) {
    return new OperatorSettings(s.namespace(), s.watchNamespaces(), s.proxySelector(), s.proxyNamespace(), s.adminToken(),
        s.snapshotSecret(), s.clientKeysSecret(), s.leaderElection(), s.leaseName(), s.identity(), s.httpPort(), s.statusInterval(),
        s.debounce(), s.lease(), true, s.usageInterval());
  }

  public static OperatorSettings settings(boolean leaderElection, String identity) {
    return new OperatorSettings(PROXY_NAMESPACE, Set.of(), Map.of("app.kubernetes.io/name", "switchboard",
        "app.kubernetes.io/component", "proxy"), PROXY_NAMESPACE, SecretValue.of(TOKEN), "switchboard-routing-snapshot",
        Optional.empty(), leaderElection, "switchboard-operator", identity, 0, Duration.ofMillis(300), Duration.ofMillis(50),
        new OperatorSettings.LeaseTimings(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200)), false,
        Duration.ofMillis(500));
  }

  public static SwitchboardOperator start(KubernetesClient client) {
    return start(client, settings(false, "test"));
  }

  public static SwitchboardOperator start(KubernetesClient client, OperatorSettings settings) {
    return new SwitchboardOperator(client, settings, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC(), false)
        .start();
  }

  /** Creates or replaces every document of a YAML text, as {@code kubectl apply} would. */
  public static void apply(KubernetesClient client, String yaml) {
    List<HasMetadata> items = client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    for (HasMetadata loaded : items) {
      HasMetadata item = typed(client, loaded);
      if (item.getMetadata().getNamespace() == null) {
        item.getMetadata().setNamespace("default");
      }
      boolean statusGiven = item instanceof io.fabric8.kubernetes.client.CustomResource<?, ?> cr && cr.getStatus() != null;
      // Like kubectl apply, retry when the operator wrote status between our read and our write.
      for (int attempt = 1; ; attempt++) {
        try {
          if (!statusGiven) {
            keepStatus(client, item);
          }
          item.getMetadata().setResourceVersion(null);
          client.resource(item).createOr(op -> op.update());
          break;
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
          if (e.getCode() != 409 || attempt == 10) {
            throw e;
          }
        }
      }
    }
  }

  /**
   * A real API server ignores status on updates of the main resource (status is a subresource);
   * the mock server would replace it, so an apply carries the stored status over.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void keepStatus(KubernetesClient client, HasMetadata item) {
    if (item instanceof io.fabric8.kubernetes.client.CustomResource cr) {
      HasMetadata existing = client.resource(item).get();
      if (existing instanceof io.fabric8.kubernetes.client.CustomResource old) {
        cr.setStatus(old.getStatus());
      }
    }
  }

  /** The client loads custom kinds as generic resources; the typed classes know their endpoints. */
  static HasMetadata typed(KubernetesClient client, HasMetadata item) {
    Class<? extends HasMetadata> type = switch (item.getKind()) {
      case "ChatBackend" -> ChatBackend.class;
      case "ModelRoute" -> ModelRoute.class;
      case "ClientKey" -> dev.switchboard.api.v1alpha1.ClientKey.class;
      default -> null;
    };
    return type == null || type.isInstance(item) ? item : client.getKubernetesSerialization().convertValue(item, type);
  }

  public static ChatBackend backend(KubernetesClient client, String namespace, String name) {
    return client.resources(ChatBackend.class).inNamespace(namespace).withName(name).get();
  }

  public static ModelRoute route(KubernetesClient client, String namespace, String name) {
    return client.resources(ModelRoute.class).inNamespace(namespace).withName(name).get();
  }
}
