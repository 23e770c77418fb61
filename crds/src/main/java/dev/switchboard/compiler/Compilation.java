package dev.switchboard.compiler;

import dev.switchboard.config.RoutingConfig;
import java.util.List;
import java.util.Optional;

/**
 * The result of one compile: the config to serve, and for every input resource what became of it.
 *
 * @param problems every problem, backends first, each list in resource order
 */
public record Compilation(RoutingConfig config, List<Problem> problems, List<BackendOutcome> backends, List<RouteOutcome> routes,
    List<ClientKeyOutcome> clients) {
  public Compilation {
    problems = List.copyOf(problems);
    backends = List.copyOf(backends);
    routes = List.copyOf(routes);
    clients = List.copyOf(clients);
  }

  public Compilation(RoutingConfig config, List<Problem> problems, List<BackendOutcome> backends, List<RouteOutcome> routes) {
    this(config, problems, backends, routes, List.of());
  }

  public Optional<ClientKeyOutcome> client(ResourceRef ref) {
    return clients.stream().filter(c -> c.ref().equals(ref)).findFirst();
  }

  public Optional<BackendOutcome> backend(ResourceRef ref) {
    return backends.stream().filter(b -> b.ref().equals(ref)).findFirst();
  }

  public Optional<RouteOutcome> route(ResourceRef ref) {
    return routes.stream().filter(r -> r.ref().equals(ref)).findFirst();
  }
}
