package dev.switchboard.operator;

import dev.switchboard.compiler.ConfigCompiler;
import dev.switchboard.operator.fleet.ProxyClient;
import dev.switchboard.operator.fleet.ProxyFleet;
import dev.switchboard.operator.publish.ConfigPublisher;
import dev.switchboard.operator.publish.SnapshotWriter;
import dev.switchboard.api.v1alpha1.ClientKey;
import dev.switchboard.compiler.ResourceRef;
import dev.switchboard.operator.reconcile.ChatBackendReconciler;
import dev.switchboard.operator.reconcile.ClientKeyReconciler;
import dev.switchboard.operator.status.ProxyReport;
import dev.switchboard.operator.status.Usage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.switchboard.operator.reconcile.ModelRouteReconciler;
import dev.switchboard.operator.reconcile.StatusEvents;
import dev.switchboard.operator.reconcile.StatusHub;
import dev.switchboard.validation.ResourceValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * The operator, wired: JOSDK with the two status reconcilers, and, on the replica holding the
 * lease (or the only one), the publisher and the proxy fleet. Main and the tests start it alike.
 */
public final class SwitchboardOperator implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.operator");

  private final OperatorSettings settings;
  private final StatusHub hub = new StatusHub();
  private final ProxyFleet fleet;
  /** When each backend's capability checks were last started, so a check that reached no verdict is not repeated every round. */
  private final Map<String, java.time.Instant> capabilityAttempts = new java.util.concurrent.ConcurrentHashMap<>();
  private final ConfigPublisher publisher;
  private final Clock clock;
  private final Operator operator;
  private volatile boolean leading;
  private volatile boolean started;

  /**
   * @param exitOnLostLease whether losing the lease ends the process (in a pod, so it restarts as a
   *     standby); tests stop the components instead
   */
  public SwitchboardOperator(KubernetesClient client, OperatorSettings settings, MeterRegistry registry, Clock clock,
      boolean exitOnLostLease) {
    this.settings = settings;
    this.clock = clock;
    this.fleet = new ProxyFleet(client, settings.proxyNamespace(), settings.proxySelector(),
        new ProxyClient(settings.adminToken(), Duration.ofSeconds(5)), settings.statusInterval(), hub::connectivity, registry);
    hub.prober(fleet::probeNow);
    this.publisher = new ConfigPublisher(client, new ConfigCompiler(ResourceValidator.fromClasspath()), hub, fleet,
        new SnapshotWriter(client, settings.proxyNamespace(), settings.snapshotSecret()), settings.watchNamespaces(),
        settings.clientKeysSecret(), settings.requireClientKey(), settings.debounce(), registry);
    fleet.onMembersChanged(publisher::requestCompile);
    fleet.onReports(reports -> {
      usage(reports);
      checkCapabilities();
    });
    StatusEvents events = new StatusEvents(client);
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          // Status is written with PUT on the status subresource; nothing needs server-side apply.
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withMetrics(MicrometerMetrics.newMicrometerMetricsBuilder(registry).notCollectingMetricsPerResource().build());
      if (settings.leaderElection()) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(settings.leaseName(), settings.namespace(),
            settings.lease().duration(), settings.lease().renewDeadline(), settings.lease().retryPeriod(), settings.identity(),
            new LeaderCallbacks(this::startLeading, () -> stopLeading("lost the lease: no longer writing configs or status"),
                leader -> LOG.log(System.Logger.Level.INFO, "the operator leader is " + leader)),
            exitOnLostLease));
      }
    });
    // The check-now annotation changes no generation, so this controller must see every update.
    operator.register(new ChatBackendReconciler(hub, events, clock), c -> namespaces(c, "chatbackend").withGenerationAware(false));
    operator.register(new ModelRouteReconciler(hub, events, clock), c -> namespaces(c, "modelroute"));
    operator.register(new ClientKeyReconciler(hub, events, clock, settings.usageInterval()), c -> namespaces(c, "clientkey"));
  }

  /** Sums the proxies' ClientKey usage; without a shared Redis the proxies get the sums back for their budgets. */
  private void usage(List<ProxyReport> reports) {
    Map<String, ClientKey> keys = new HashMap<>();
    publisher.clientKeyResources().forEach(k -> keys.put(ResourceRef.of(k).id(), k));
    Map<String, Usage> sums = hub.reports(reports, (id, periodStart) -> Optional.ofNullable(keys.get(id))
        .flatMap(k -> Optional.ofNullable(k.getStatus())).flatMap(s -> Usage.fromStatus(s.usage(), periodStart)));
    boolean counted = reports.stream().flatMap(r -> r.clients().stream()).anyMatch(c -> !c.fleet());
    if (counted && !sums.isEmpty()) {
      fleet.pushUsage(sums);
    }
  }

  /**
   * Starts the capability checks that are due, each on one proxy and in the background (a round of
   * reports must not wait on a provider); their verdicts go to the ChatBackends' status.
   */
  private void checkCapabilities() {
    if (!fleet.anyCurrent()) {
      return; // no proxy serves the current config yet: nothing is due until one does
    }
    java.time.Instant now = clock.instant();
    for (String id : dev.switchboard.operator.status.CapabilitySchedule.due(publisher.backendResources(), hub.compilation().config(),
        capabilityAttempts, now)) {
      capabilityAttempts.put(id, now);
      Thread.startVirtualThread(() -> fleet.checkCapabilities(id).ifPresentOrElse(results -> hub.checked(id, results),
          () -> capabilityAttempts.remove(id, now))); // no proxy could be asked (none current yet): the next round tries again
    }
  }

  private <R extends HasMetadata> ControllerConfigurationOverrider<R> namespaces(ControllerConfigurationOverrider<R> c, String name) {
    c.withName(name);
    if (settings.watchNamespaces().isEmpty()) {
      c.settingNamespaces(Constants.WATCH_ALL_NAMESPACES);
    } else {
      c.settingNamespaces(settings.watchNamespaces());
    }
    return c;
  }

  public SwitchboardOperator start() {
    operator.start();
    started = true;
    if (!settings.leaderElection()) {
      startLeading();
    }
    return this;
  }

  private synchronized void startLeading() {
    if (!leading) {
      LOG.log(System.Logger.Level.INFO, "leading: watching resources and proxies");
      fleet.start();
      publisher.start();
      leading = true;
    }
  }

  private synchronized void stopLeading(String why) {
    if (leading) {
      LOG.log(System.Logger.Level.INFO, why);
      publisher.close();
      fleet.close();
      leading = false;
    }
  }

  /** Whether this replica holds the lease (always, without leader election). */
  public boolean leading() {
    return leading;
  }

  public boolean healthy() {
    return started;
  }

  /** Ready when running: the leader with healthy informers, or a standby waiting for the lease. */
  public boolean ready() {
    return started && (!leading || operator.getRuntimeInfo().allEventSourcesAreHealthy());
  }

  public ProxyFleet fleet() {
    return fleet;
  }

  public StatusHub hub() {
    return hub;
  }

  public ConfigPublisher publisher() {
    return publisher;
  }

  @Override
  public void close() {
    stopLeading("stopping");
    operator.stop();
    hub.close();
  }
}
