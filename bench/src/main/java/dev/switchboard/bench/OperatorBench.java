package dev.switchboard.bench;

import dev.switchboard.api.v1alpha1.BackendRef;
import dev.switchboard.api.v1alpha1.ChatBackend;
import dev.switchboard.api.v1alpha1.ChatBackendSpec;
import dev.switchboard.api.v1alpha1.ModelRoute;
import dev.switchboard.api.v1alpha1.ModelRouteSpec;
import dev.switchboard.api.v1alpha1.ModelSpec;
import dev.switchboard.api.v1alpha1.Provider;
import dev.switchboard.api.v1alpha1.RouteTarget;
import dev.switchboard.api.v1alpha1.Strategy;
import dev.switchboard.compiler.Compilation;
import dev.switchboard.compiler.ConfigCompiler;
import dev.switchboard.compiler.SecretLookup;
import dev.switchboard.config.RoutingConfigJson;
import dev.switchboard.config.SecretValue;
import dev.switchboard.operator.OperatorSettings;
import dev.switchboard.operator.SwitchboardOperator;
import dev.switchboard.proxy.observe.AccessLog;
import dev.switchboard.proxy.server.ProxyServer;
import dev.switchboard.proxy.server.Settings;
import dev.switchboard.validation.ResourceValidator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's two numbers: how long compiling a large installation takes, and how long a
 * resource change takes to be served by every proxy (mock API server, the real operator, two
 * real proxies, all on loopback).
 *
 * <p>Usage: {@code bench/run-operator [--out FILE] [--tiny]}
 */
public final class OperatorBench {
  static final String START = "<!-- bench/run-operator: start -->";
  static final String END = "<!-- bench/run-operator: end -->";

  private OperatorBench() {}

  public static void main(String[] args) throws Exception {
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    Path out = Path.of("docs/benchmarks.md");
    boolean tiny = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--repo" -> i++;
        case "--tiny" -> tiny = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; usage: bench/run-operator [--tiny] [--out FILE]");
      }
    }
    int backends = tiny ? 10 : 1000;
    int routes = tiny ? 50 : 5000;
    long[] compile = compileTimes(backends, routes, tiny ? 2 : 10);
    long[] propagation = propagationTimes(tiny ? 3 : 20);
    StringBuilder md = new StringBuilder(START).append('\n');
    md.append("## Operator: compile time and propagation\n\n");
    md.append("Measured ").append(BenchHarness.today()).append(" with `bench/run-operator").append(tiny ? " --tiny" : "")
        .append("` on ").append(Machine.describe()).append(".\n\n");
    md.append("Compiling ").append(backends).append(" ChatBackends (3 models each) and ").append(routes)
        .append(" ModelRoutes (2 targets each, validated against the CRD schema and CEL rules), median of ")
        .append(compile.length).append(" runs after warm-up: **").append(BenchHarness.fmt(median(compile) / 1e6))
        .append(" ms** (fastest ").append(BenchHarness.fmt(Arrays.stream(compile).min().orElse(0) / 1e6))
        .append(" ms, slowest ").append(BenchHarness.fmt(Arrays.stream(compile).max().orElse(0) / 1e6)).append(" ms).\n\n");
    md.append("From a ModelRoute edit (new alias) to both of two proxies serving it, through the fabric8 mock API server, the ")
        .append("operator (250 ms compile debounce) and pushes over loopback, ").append(propagation.length).append(" edits: median **")
        .append(BenchHarness.fmt(median(propagation) / 1e6)).append(" ms**, slowest ")
        .append(BenchHarness.fmt(Arrays.stream(propagation).max().orElse(0) / 1e6)).append(" ms.\n");
    md.append(END).append('\n');
    BenchReport.write(out, md.toString(), START, END);
    System.out.println(md);
  }

  static long[] compileTimes(int backendCount, int routeCount, int runs) {
    List<ChatBackend> backends = new ArrayList<>();
    for (int i = 0; i < backendCount; i++) {
      ChatBackend b = new ChatBackend();
      b.setMetadata(new ObjectMetaBuilder().withName("backend-" + i).withNamespace("ns-" + (i % 10)).withGeneration(1L).build());
      b.setSpec(new ChatBackendSpec(Provider.MOCK, null, null, null, null, null, List.of(new ModelSpec("a", null, null, 8192, null, null),
          new ModelSpec("b", null, null, null, null, null), new ModelSpec("c", null, null, null, null, null)), null, null, null, null, null, null, null, null, null));
      backends.add(b);
    }
    List<ModelRoute> routes = new ArrayList<>();
    for (int i = 0; i < routeCount; i++) {
      ModelRoute r = new ModelRoute();
      int ns = i % 10;
      r.setMetadata(new ObjectMetaBuilder().withName("route-" + i).withNamespace("ns-" + ns).withGeneration(1L)
          .withCreationTimestamp("2026-01-01T00:00:00Z").build());
      int first = ns + 10 * (i % (backendCount / 10));
      int second = ns + 10 * ((i + 1) % (backendCount / 10));
      r.setSpec(new ModelRouteSpec("model-" + i, List.of("alias-" + i), null, null, Strategy.FAILOVER, List.of(
          new RouteTarget(new BackendRef("backend-" + first), "a", 0, 1, null, null),
          new RouteTarget(new BackendRef("backend-" + second), "b", 1, 1, null, null)), null, null, null, null));
      routes.add(r);
    }
    ConfigCompiler compiler = new ConfigCompiler(ResourceValidator.fromClasspath());
    for (int i = 0; i < 3; i++) {
      compiler.compile(backends, routes, SecretLookup.none()); // warm-up
    }
    long[] times = new long[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      Compilation c = compiler.compile(backends, routes, SecretLookup.none());
      times[i] = System.nanoTime() - start;
      if (!c.problems().isEmpty() || c.config().routes().size() != routeCount) {
        throw new IllegalStateException("the generated installation does not compile cleanly: " + c.problems().stream().limit(3).toList());
      }
    }
    System.out.println("config JSON size: " + RoutingConfigJson.write(
        compiler.compile(backends, routes, SecretLookup.none()).config()).length + " bytes");
    return times;
  }

  static long[] propagationTimes(int edits) throws Exception {
    KubernetesMockServer server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(),
        new io.fabric8.mockwebserver.MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    server.init();
    String token = "bench-admin-token";
    List<ProxyServer> proxies = new ArrayList<>();
    try (KubernetesClient client = server.createClient()) {
      for (int i = 0; i < 2; i++) {
        ProxyServer proxy = ProxyServer.start("127.0.0.1", 0, 0, ProxyServer.context(
            Settings.defaults().withAdminToken(token), AccessLog.to(line -> {}), false));
        proxies.add(proxy);
        client.pods().inNamespace("switchboard").resource(new PodBuilder()
            .withNewMetadata().withName("proxy-" + i).withUid("uid-" + i)
              .addToLabels("app.kubernetes.io/name", "switchboard").addToLabels("app.kubernetes.io/component", "proxy").endMetadata()
            .withNewSpec().addNewContainer().withName("proxy").addNewPort().withName("admin").withContainerPort(proxy.adminPort())
              .endPort().endContainer().endSpec()
            .withNewStatus().withPhase("Running").withPodIP("127.0.0.1").endStatus().build()).create();
      }
      OperatorSettings settings = new OperatorSettings("switchboard", Set.of(), Map.of("app.kubernetes.io/name", "switchboard",
          "app.kubernetes.io/component", "proxy"), "switchboard", SecretValue.of(token), "switchboard-routing-snapshot",
          Optional.empty(), false, "switchboard-operator", "bench", 0, Duration.ofSeconds(5), Duration.ofMillis(250),
          OperatorSettings.LeaseTimings.DEFAULTS, false, Duration.ofSeconds(30));
      try (SwitchboardOperator operator = new SwitchboardOperator(client, settings, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
          Clock.systemUTC(), false).start()) {
        ChatBackend backend = new ChatBackend();
        backend.setMetadata(new ObjectMetaBuilder().withName("mock").withNamespace("default").build());
        backend.setSpec(new ChatBackendSpec(Provider.MOCK, null, null, null, null, null, List.of(new ModelSpec("echo", null, null, null, null, null)),
            null, null, null, null, null, null, null, null, null));
        client.resource(backend).create();
        long[] times = new long[edits];
        for (int i = -1; i < edits; i++) {
          ModelRoute route = new ModelRoute();
          route.setMetadata(new ObjectMetaBuilder().withName("chat").withNamespace("default").build());
          String alias = "edit-" + (i + 1);
          route.setSpec(new ModelRouteSpec("chat", List.of(alias), null, null, null,
              List.of(new RouteTarget(new BackendRef("mock"), "echo", null, null, null, null)), null, null, null, null));
          long start = System.nanoTime();
          client.resource(route).createOr(op -> op.update());
          while (!proxies.stream().allMatch(p -> p.context().holder().current().flatMap(c -> c.route(alias)).isPresent())) {
            if (System.nanoTime() - start > Duration.ofSeconds(30).toNanos()) {
              throw new IllegalStateException("edit " + alias + " did not reach the proxies in 30 s");
            }
            Thread.sleep(1);
          }
          if (i >= 0) {
            times[i] = System.nanoTime() - start; // the first edit warms everything up
          }
        }
        return times;
      }
    } finally {
      proxies.forEach(ProxyServer::close);
      server.destroy();
    }
  }

  static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
