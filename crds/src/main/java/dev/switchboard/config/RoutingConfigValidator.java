package dev.switchboard.config;

import dev.switchboard.api.v1alpha1.Provider;
import dev.switchboard.api.v1alpha1.Strategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that a RoutingConfig is consistent before a proxy serves it. The compiler only produces
 * consistent configs; this guards the proxy against anything else (a hand-written snapshot, a
 * corrupted push, an operator of another version): a config with any problem is refused whole.
 */
public final class RoutingConfigValidator {
  private static final Set<String> RESERVED = Set.of("model", "messages", "stream", "stream_options");

  private RoutingConfigValidator() {}

  public static List<String> problems(RoutingConfig config) {
    List<String> problems = new ArrayList<>();
    if (!config.version().equals(RoutingConfigJson.versionOf(config))) {
      problems.add("version " + config.version() + " does not match the content (expected " + RoutingConfigJson.versionOf(config) + ")");
    }
    Map<String, BackendConfig> backends = new HashMap<>();
    for (BackendConfig b : config.backends()) {
      String at = "backend " + b.id();
      if (backends.put(b.id(), b) != null) {
        problems.add(at + ": defined twice");
      }
      if (!b.id().equals(b.namespace() + "/" + b.name())) {
        problems.add(at + ": id must be namespace/name");
      }
      if (b.provider() == null) {
        problems.add(at + ": no provider");
        continue;
      }
      if (b.provider() != Provider.MOCK && !(b.url().startsWith("http://") || b.url().startsWith("https://"))) {
        problems.add(at + ": url must be an http or https URL");
      }
      if ((b.provider() == Provider.AZURE_OPENAI) != b.azure().isPresent()) {
        problems.add(at + ": azure settings must be present exactly for provider azure-openai");
      }
      if ((b.provider() == Provider.MOCK) != b.mock().isPresent()) {
        problems.add(at + ": mock settings must be present exactly for provider mock");
      }
      if (b.models().isEmpty()) {
        problems.add(at + ": no models");
      }
      Set<String> names = new HashSet<>();
      for (ModelConfig m : b.models()) {
        if (!names.add(m.name())) {
          problems.add(at + ": model " + m.name() + " listed twice");
        }
        if (m.upstreamName().isBlank()) {
          problems.add(at + ": model " + m.name() + " has no upstream name");
        }
      }
      positive(problems, at + ": timeouts.connect", b.timeouts().connect());
      positive(problems, at + ": timeouts.request", b.timeouts().request());
      positive(problems, at + ": timeouts.streamIdle", b.timeouts().streamIdle());
      positive(problems, at + ": healthCheck.interval", b.healthCheck().interval());
      positive(problems, at + ": healthCheck.timeout", b.healthCheck().timeout());
    }
    Set<String> routeIds = new HashSet<>();
    Map<String, String> owners = new HashMap<>();
    for (RouteConfig r : config.routes()) {
      String at = "route " + r.id();
      if (!routeIds.add(r.id())) {
        problems.add(at + ": defined twice");
      }
      for (String name : r.names()) {
        String owner = owners.putIfAbsent(name, r.id());
        if (owner != null) {
          problems.add(at + ": model name " + name + " is also served by route " + owner);
        }
      }
      if (r.targets().isEmpty()) {
        problems.add(at + ": no targets");
      }
      if (r.strategy() == Strategy.WEIGHTED && r.targets().stream().noneMatch(t -> t.weight() > 0)) {
        problems.add(at + ": weighted strategy without a positive weight");
      }
      for (TargetConfig t : r.targets()) {
        BackendConfig b = backends.get(t.backend());
        if (b == null) {
          problems.add(at + ": target backend " + t.backend() + " is not in the config");
        } else if (b.model(t.model()).isEmpty()) {
          problems.add(at + ": backend " + t.backend() + " has no model " + t.model());
        } else if (b.model(t.model()).get().type() != r.type()) {
          problems.add(at + ": target " + t.backend() + "/" + t.model() + " is not a " + r.type() + " model");
        }
        if (t.weight() < 0 || t.priority() < 0) {
          problems.add(at + ": target " + t.backend() + " has a negative weight or priority");
        }
        t.parameters().fieldNames().forEachRemaining(name -> {
          if (RESERVED.contains(name)) {
            problems.add(at + ": target parameters may not set " + name);
          }
        });
      }
      r.defaults().fieldNames().forEachRemaining(name -> {
        if (RESERVED.contains(name)) {
          problems.add(at + ": defaults may not set " + name);
        }
      });
      RetryPolicy retry = r.retry();
      if (retry.attempts() < 1 || retry.attempts() > 10) {
        problems.add(at + ": retry attempts must be 1 to 10");
      }
      if (retry.backoffBase().compareTo(retry.backoffMax()) > 0) {
        problems.add(at + ": backoff base longer than max");
      }
      retry.perTryTimeout().ifPresent(d -> positive(problems, at + ": retry.perTryTimeout", d));
    }
    for (String hash : config.clientKeyHashes()) {
      if (!hash.matches("sha256:[0-9a-f]{64}")) {
        problems.add("client key hashes must look like sha256:<64 hex digits>");
        break;
      }
    }
    return problems;
  }

  private static void positive(List<String> problems, String what, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      problems.add(what + " must be longer than zero");
    }
  }
}
