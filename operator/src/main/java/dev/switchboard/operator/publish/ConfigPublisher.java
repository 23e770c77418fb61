package dev.switchboard.operator.publish;

import dev.switchboard.api.v1alpha1.ChatBackend;
import dev.switchboard.api.v1alpha1.ClientKey;
import dev.switchboard.compiler.Compilation;
import dev.switchboard.compiler.ConfigCompiler;
import dev.switchboard.config.RoutingConfig;
import dev.switchboard.config.SecretValue;
import dev.switchboard.operator.fleet.ProxyFleet;
import dev.switchboard.operator.reconcile.StatusHub;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns resources into the served config. Any change (a spec, a referenced Secret) asks for a
 * compile; requests within the debounce window become one compile. A new version is written to
 * the snapshot Secret and handed to the proxy fleet; every compilation goes to the status hub.
 */
public final class ConfigPublisher implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.operator");

  private final KubernetesClient client;
  private final ConfigCompiler compiler;
  private final StatusHub hub;
  private final ProxyFleet fleet;
  private final SnapshotWriter snapshot;
  private final Set<String> namespaces;
  private final Optional<String> clientKeysSecret;
  private final boolean requireClientKey;
  private final Duration debounce;
  private final Timer compileTime;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "switchboard-publisher");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private ResourceWatch resources;
  private ReferenceWatcher references;
  private volatile RoutingConfig current;

  /**
   * @param clientKeysSecret {@code namespace/name} of a Secret whose values are the client API keys, if any
   */
  public ConfigPublisher(KubernetesClient client, ConfigCompiler compiler, StatusHub hub, ProxyFleet fleet, SnapshotWriter snapshot,
      Set<String> namespaces, Optional<String> clientKeysSecret, boolean requireClientKey, Duration debounce, MeterRegistry registry) {
    this.requireClientKey = requireClientKey;
    this.client = client;
    this.compiler = compiler;
    this.hub = hub;
    this.fleet = fleet;
    this.snapshot = snapshot;
    this.namespaces = Set.copyOf(namespaces);
    this.clientKeysSecret = clientKeysSecret;
    this.debounce = debounce;
    this.compileTime = Timer.builder("switchboard.operator.compile.duration").description("Time to compile all resources")
        .register(registry);
  }

  public void start() {
    references = new ReferenceWatcher(client, this::requestCompile);
    resources = new ResourceWatch(client, namespaces, this::requestCompile);
    requestCompile();
  }

  /** Asks for a compile soon; many requests in a short while make one compile. */
  public void requestCompile() {
    if (scheduled.compareAndSet(false, true)) {
      scheduler.schedule(this::compile, debounce.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The ChatBackends as the informers hold them now (statuses included), sorted; empty before {@link #start}. */
  public List<ChatBackend> backendResources() {
    ResourceWatch r = resources;
    return r == null ? List.of() : r.backends();
  }

  /** The ClientKeys as the informers hold them now (statuses included), sorted; empty before {@link #start}. */
  public List<ClientKey> clientKeyResources() {
    ResourceWatch r = resources;
    return r == null ? List.of() : r.clientKeys();
  }

  public Optional<RoutingConfig> current() {
    return Optional.ofNullable(current);
  }

  private void compile() {
    scheduled.set(false);
    try {
      long start = System.nanoTime();
      List<ChatBackend> backends = resources.backends();
      Set<String> wantedSecrets = new TreeSet<>();
      Set<String> wantedConfigMaps = new TreeSet<>();
      for (ChatBackend b : backends) {
        if (b.getSpec() != null) {
          References.of(b, wantedSecrets, wantedConfigMaps);
        }
      }
      List<ClientKey> clientKeys = resources.clientKeys();
      for (ClientKey k : clientKeys) {
        wantedSecrets.add(k.getMetadata().getNamespace() + "/" + ClientKey.secretNameOf(k));
      }
      clientKeysSecret.ifPresent(wantedSecrets::add);
      references.watch(wantedSecrets, wantedConfigMaps);
      Compilation compilation = compiler.compile(backends, resources.routes(), clientKeys, references.lookup());
      RoutingConfig config = compilation.config();
      List<String> keys = clientKeys();
      if (!keys.isEmpty()) {
        config = config.withClientKeys(keys);
      }
      // Deleting the last ClientKey must not open a gateway that required keys: the setting says, not the count.
      config = config.withAccess(requireClientKey, Math.max(1, fleet.size()));
      compileTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      hub.publish(compilation);
      if (current == null || !current.version().equals(config.version())) {
        current = config;
        LOG.log(System.Logger.Level.INFO, "compiled config " + config.version() + ": " + config.backends().size()
            + " backends, " + config.routes().size() + " routes, " + compilation.problems().size() + " problems");
        snapshot.write(config);
        fleet.publish(config);
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "compile failed; will retry", e);
      scheduler.schedule(this::requestCompile, 5, TimeUnit.SECONDS);
    }
  }

  private List<String> clientKeys() {
    List<String> keys = new ArrayList<>();
    clientKeysSecret.flatMap(references::secret).map(Map::values).ifPresent(values -> values.stream()
        .map(SecretValue::reveal).map(String::strip).filter(k -> !k.isEmpty()).forEach(keys::add));
    return keys;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    if (resources != null) {
      resources.close();
    }
    if (references != null) {
      references.close();
    }
  }
}
