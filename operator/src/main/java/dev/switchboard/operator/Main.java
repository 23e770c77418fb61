package dev.switchboard.operator;

import dev.switchboard.operator.http.OperatorEndpoints;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.helidon.logging.common.LogConfig;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;

/** Starts the operator; it finds its cluster with the standard rules (KUBECONFIG, then the pod's service account). */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    LogConfig.configureRuntime();
    KubernetesClient client = new KubernetesClientBuilder().build();
    OperatorSettings settings;
    try {
      settings = OperatorSettings.fromEnvironment(System::getenv, client.getNamespace());
    } catch (OperatorSettings.InvalidSettingException e) {
      System.err.println("switchboard-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    SwitchboardOperator operator = new SwitchboardOperator(client, settings, registry, Clock.systemUTC(), true).start();
    OperatorEndpoints endpoints = new OperatorEndpoints(settings.httpPort(), operator::healthy, operator::ready, registry);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      endpoints.close();
      operator.close();
      client.close();
    }, "switchboard-operator-shutdown"));
    System.out.println("switchboard-operator started: proxies in " + settings.proxyNamespace() + " selected by "
        + settings.proxySelector() + ", watching " + (settings.watchNamespaces().isEmpty() ? "all namespaces"
        : String.join(", ", settings.watchNamespaces())) + "; health and metrics on port " + endpoints.port());
  }
}
