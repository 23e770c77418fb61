package dev.switchboard.compiler;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.api.v1alpha1.ChatBackend;
import dev.switchboard.api.v1alpha1.ClientKey;
import dev.switchboard.config.ClientConfig;
import dev.switchboard.api.v1alpha1.ModelRoute;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.RouteConfig;
import dev.switchboard.config.RoutingConfig;
import dev.switchboard.config.RoutingConfigJson;
import dev.switchboard.validation.ResourceValidator;
import dev.switchboard.validation.Validation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compiles ChatBackends, ModelRoutes and Secrets into one {@link RoutingConfig}. Pure: no I/O, the
 * same input always gives the same config and version.
 *
 * <p>A bad resource is left out with its problem and the rest still compiles. Each resource is
 * first validated against its CRD (schema and CEL rules), because the compiler cannot assume that
 * admission ran; then it checks what one resource cannot tell: Secrets, references between
 * routes and backends, and which route owns a model name. When two routes claim one name or
 * alias, the older one (by creationTimestamp; callers order equal ages) keeps it, as in the
 * Gateway API.
 */
public final class ConfigCompiler {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().serializationInclusion(JsonInclude.Include.NON_NULL).build();

  private final ResourceValidator validator;

  public ConfigCompiler(ResourceValidator validator) {
    this.validator = validator;
  }

  public Compilation compile(Collection<ChatBackend> backends, Collection<ModelRoute> routes, SecretLookup secrets) {
    return compile(backends, routes, List.of(), secrets);
  }

  public Compilation compile(Collection<ChatBackend> backends, Collection<ModelRoute> routes, Collection<ClientKey> clientKeys,
      SecretLookup secrets) {
    List<Problem> problems = new ArrayList<>();

    Map<String, BackendConfig> accepted = new TreeMap<>();
    Map<String, BackendOutcome> backendOutcomes = new LinkedHashMap<>();
    BackendCompiler backendCompiler = new BackendCompiler(secrets);
    for (ChatBackend backend : backends) {
      ResourceRef ref = ResourceRef.of(backend);
      long generation = generation(backend);
      List<Problem> found = new ArrayList<>();
      Optional<BackendConfig> config = Optional.empty();
      if (backendOutcomes.containsKey(ref.id())) {
        found.add(new Problem(ref, "", Reasons.DUPLICATE, "defined more than once; the first definition is used"));
      } else {
        found.addAll(validate(ref, backend));
        if (found.isEmpty()) {
          BackendCompiler.Result result = backendCompiler.compile(ref, backend.getSpec());
          found.addAll(result.problems());
          config = result.config();
        }
      }
      problems.addAll(found);
      if (found.stream().anyMatch(p -> p.reason().equals(Reasons.DUPLICATE))) {
        continue;
      }
      config.ifPresent(c -> accepted.put(c.id(), c));
      backendOutcomes.put(ref.id(), outcome(ref, generation, found));
    }

    RouteCompiler routeCompiler = new RouteCompiler(accepted, backendOutcomes);
    Map<String, RouteConfig> served = new TreeMap<>();
    Map<String, ResourceRef> claims = new LinkedHashMap<>();
    Set<String> seenRoutes = new HashSet<>();
    List<RouteOutcome> routeOutcomes = new ArrayList<>();
    // Routes and backends that expose models claim names together, oldest first (a route first at equal age).
    List<HasMetadata> claimants = new ArrayList<>(routes);
    backends.stream().filter(b -> b.getSpec() != null && Boolean.TRUE.equals(b.getSpec().exposeModels())
        && accepted.containsKey(ResourceRef.of(b).id())).forEach(claimants::add);
    Set<String> exposedBackends = new HashSet<>();
    for (HasMetadata claimant : oldestFirst(claimants)) {
      if (claimant instanceof ChatBackend backend) {
        if (exposedBackends.add(ResourceRef.of(backend).id())) {
          expose(backend, accepted.get(ResourceRef.of(backend).id()), claims, served, backendOutcomes, problems);
        }
        continue;
      }
      ModelRoute route = (ModelRoute) claimant;
      ResourceRef ref = ResourceRef.of(route);
      long generation = generation(route);
      if (!seenRoutes.add(ref.id())) {
        problems.add(new Problem(ref, "", Reasons.DUPLICATE, "defined more than once; the first definition is used"));
        continue;
      }
      List<Problem> invalid = validate(ref, route);
      if (invalid.isEmpty()) {
        invalid = routeCompiler.checkSpec(ref, route.getSpec());
      }
      if (!invalid.isEmpty()) {
        problems.addAll(invalid);
        routeOutcomes.add(new RouteOutcome(ref, generation, false, Reasons.INVALID_SPEC, summary(invalid),
            false, Reasons.INVALID_SPEC, "the spec is invalid", false, List.of(), invalid));
        continue;
      }
      Optional<Problem> conflict = conflict(ref, route.getSpec().model(), route.getSpec().aliases(), claims);
      if (conflict.isPresent()) {
        problems.add(conflict.get());
        routeOutcomes.add(new RouteOutcome(ref, generation, false, Reasons.CONFLICT, conflict.get().message(),
            false, Reasons.CONFLICT, "not resolved: the route is not accepted", false, List.of(), List.of(conflict.get())));
        continue;
      }
      claims.put(route.getSpec().model(), ref);
      Objects.requireNonNullElse(route.getSpec().aliases(), List.<String>of()).forEach(a -> claims.put(a, ref));

      RouteCompiler.Resolution resolution = routeCompiler.resolve(ref, route.getSpec());
      List<Problem> unresolved = new ArrayList<>();
      for (TargetOutcome t : resolution.targets()) {
        if (!t.resolved()) {
          unresolved.add(new Problem(ref, "spec.targets[" + t.index() + "]", t.reason(), t.message()));
        }
      }
      if (resolution.config().isEmpty()) {
        unresolved.add(new Problem(ref, "spec.targets", Reasons.NO_USABLE_TARGETS,
            "no target resolved, so the route is not served"));
      }
      problems.addAll(unresolved);
      resolution.config().ifPresent(c -> served.put(c.id(), c));
      routeOutcomes.add(new RouteOutcome(ref, generation, true, Reasons.ACCEPTED, "the route owns its model name and aliases",
          unresolved.isEmpty(),
          unresolved.isEmpty() ? Reasons.RESOLVED_REFS : unresolved.get(0).reason(),
          unresolved.isEmpty() ? "every target resolved" : summary(unresolved),
          resolution.config().isPresent(), resolution.targets(), unresolved));
    }

    Map<String, ClientConfig> clients = new TreeMap<>();
    List<ClientKeyOutcome> clientOutcomes = clients(clientKeys, secrets, List.copyOf(served.values()), accepted, clients, problems);
    RoutingConfig config = RoutingConfigJson.withVersion(new RoutingConfig("", List.copyOf(accepted.values()),
        List.copyOf(served.values()), List.of(), List.copyOf(clients.values()), false, 1, verdicts(backends, accepted)));
    return new Compilation(config, problems, List.copyOf(backendOutcomes.values()), routeOutcomes, clientOutcomes);
  }

  /**
   * The capability checks recorded in the accepted backends' status, for what their spec still
   * lists (a model or capability taken out of the spec is no longer routed by), sorted.
   */
  private static List<dev.switchboard.config.CapabilityVerdict> verdicts(Collection<ChatBackend> backends,
      Map<String, BackendConfig> accepted) {
    List<dev.switchboard.config.CapabilityVerdict> out = new ArrayList<>();
    for (ChatBackend backend : backends) {
      BackendConfig config = accepted.get(ResourceRef.of(backend).id());
      if (config == null || backend.getStatus() == null || backend.getStatus().capabilities() == null) {
        continue;
      }
      for (var c : backend.getStatus().capabilities()) {
        if (c.capability() != null && c.model() != null && c.verified() != null && config.model(c.model()).isPresent()
            && config.healthCheck().capabilities().contains(c.capability())) {
          out.add(new dev.switchboard.config.CapabilityVerdict(config.id(), c.model(), c.capability(), c.verified(),
              Objects.requireNonNullElse(c.reason(), ""), Objects.requireNonNullElse(c.message(), ""),
              Objects.requireNonNullElse(c.lastChecked(), "")));
        }
      }
    }
    out.sort(Comparator.comparing(dev.switchboard.config.CapabilityVerdict::backend).thenComparing(v -> v.model())
        .thenComparing(v -> v.capability().wireName()));
    return List.copyOf(out);
  }

  /** Oldest first, so that when two ClientKeys hold the same key the older keeps it. */
  private List<ClientKeyOutcome> clients(Collection<ClientKey> clientKeys, SecretLookup secrets, List<RouteConfig> routes,
      Map<String, BackendConfig> backends, Map<String, ClientConfig> accepted, List<Problem> problems) {
    ClientKeyCompiler compiler = new ClientKeyCompiler(secrets);
    Map<String, ResourceRef> keyOwners = new java.util.HashMap<>();
    List<ClientKeyOutcome> outcomes = new ArrayList<>();
    for (ClientKey clientKey : oldestFirst(clientKeys)) {
      ResourceRef ref = ResourceRef.of(clientKey);
      long generation = generation(clientKey);
      if (accepted.containsKey(ref.id()) || outcomes.stream().anyMatch(o -> o.ref().equals(ref))) {
        problems.add(new Problem(ref, "", Reasons.DUPLICATE, "defined more than once; the first definition is used"));
        continue;
      }
      List<Problem> found = new ArrayList<>(validate(ref, clientKey));
      String secretName = clientKey.getSpec() == null || clientKey.getSpec().secretRef() == null
          ? ClientKey.generatedSecretName(ref.name()) : clientKey.getSpec().secretRef().name();
      Optional<ClientConfig> config = Optional.empty();
      if (found.isEmpty()) {
        ClientKeyCompiler.Result result = compiler.compile(ref, clientKey.getSpec());
        found.addAll(result.problems());
        config = result.config();
        if (config.isPresent() && keyOwners.containsKey(config.get().keyHash())) {
          found.add(new Problem(ref, "spec.secretRef", Reasons.CONFLICT,
              "the key is already the key of the older ClientKey " + keyOwners.get(config.get().keyHash()).id()));
          config = Optional.empty();
        }
      }
      problems.addAll(found);
      List<String> unpriced = List.of();
      if (config.isPresent()) {
        keyOwners.put(config.get().keyHash(), ref);
        accepted.put(ref.id(), config.get());
        unpriced = ClientKeyCompiler.unpriced(config.get(), routes, backends);
      }
      outcomes.add(found.isEmpty()
          ? new ClientKeyOutcome(ref, generation, true, Reasons.ACCEPTED, "the key resolves and the proxies accept it", secretName,
              unpriced, List.of())
          : new ClientKeyOutcome(ref, generation, false, found.get(0).reason(), summary(found), secretName, List.of(), found));
    }
    outcomes.sort(Comparator.comparing(ClientKeyOutcome::ref));
    return outcomes;
  }

  private List<Problem> validate(ResourceRef ref, HasMetadata resource) {
    JsonNode tree = MAPPER.valueToTree(resource);
    Validation validation = validator.validate(tree);
    return validation.violations().stream()
        .map(v -> new Problem(ref, v.field(), Reasons.INVALID_SPEC, v.message()))
        .toList();
  }

  /**
   * Serves each listed model of a backend with {@code exposeModels} as {@code <backend>/<model>}: a
   * route of one target and one attempt (a ModelRoute gives retries and failover). A name an older
   * claim holds is left out, as a problem on the backend; the other names are still served.
   */
  private static void expose(ChatBackend backend, BackendConfig config, Map<String, ResourceRef> claims, Map<String, RouteConfig> served,
      Map<String, BackendOutcome> outcomes, List<Problem> problems) {
    ResourceRef ref = ResourceRef.of(backend);
    List<String> names = new ArrayList<>();
    List<Problem> conflicts = new ArrayList<>();
    for (var model : config.models()) {
      String name = config.name() + "/" + model.name();
      ResourceRef owner = claims.get(name);
      if (owner != null) {
        conflicts.add(new Problem(ref, "spec.exposeModels", Reasons.CONFLICT,
            "model name \"" + name + "\" is already served by the older " + owner.kind()
                + (owner.kind().equals(ChatBackend.KIND) ? " (exposeModels) " : " ") + owner.id()));
        continue;
      }
      claims.put(name, ref);
      names.add(name);
      served.put(ref.id() + "/" + model.name(), RouteConfig.direct(ref.id() + "/" + model.name(), ref.namespace(), name,
          "model " + model.name() + " of ChatBackend " + ref.id() + ", exposed directly", model.type(),
          new dev.switchboard.config.TargetConfig(ref.id(), model.name(), model.upstreamName(), 0, 1, null, false)));
    }
    problems.addAll(conflicts);
    outcomes.computeIfPresent(ref.id(), (k, o) -> o.withExposure(names, conflicts));
  }

  private static Optional<Problem> conflict(ResourceRef ref, String model, List<String> aliases, Map<String, ResourceRef> claims) {
    List<String> names = new ArrayList<>();
    names.add(model);
    names.addAll(Objects.requireNonNullElse(aliases, List.of()));
    for (String name : names) {
      ResourceRef owner = claims.get(name);
      if (owner != null) {
        String field = name.equals(model) ? "spec.model" : "spec.aliases";
        return Optional.of(new Problem(ref, field, Reasons.CONFLICT,
            "model name \"" + name + "\" is already served by the older " + owner.kind()
                + (owner.kind().equals(ChatBackend.KIND) ? " (exposeModels) " : " ") + owner.id()));
      }
    }
    return Optional.empty();
  }

  private static BackendOutcome outcome(ResourceRef ref, long generation, List<Problem> problems) {
    if (problems.isEmpty()) {
      return new BackendOutcome(ref, generation, true, Reasons.ACCEPTED, "the spec is valid and its credentials resolve", List.of());
    }
    return new BackendOutcome(ref, generation, false, problems.get(0).reason(), summary(problems), problems);
  }

  /** Problems joined into one line for a condition message. */
  static String summary(List<Problem> problems) {
    return String.join("; ", problems.stream().map(Problem::detail).toList());
  }

  /** Stable sort by age: callers decide the order of equal timestamps (the operator sorts by namespace/name). */
  private static <T extends HasMetadata> List<T> oldestFirst(Collection<T> routes) {
    List<T> sorted = new ArrayList<>(routes);
    sorted.sort(Comparator.comparing(ConfigCompiler::createdAt));
    return sorted;
  }

  private static String createdAt(HasMetadata resource) {
    // RFC 3339 timestamps in UTC ("2026-01-02T03:04:05Z") sort as text; a missing one sorts first.
    return resource.getMetadata() == null ? "" : Objects.requireNonNullElse(resource.getMetadata().getCreationTimestamp(), "");
  }

  private static long generation(HasMetadata resource) {
    return resource.getMetadata() == null || resource.getMetadata().getGeneration() == null
        ? 0 : resource.getMetadata().getGeneration();
  }
}
