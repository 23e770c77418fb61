package dev.switchboard.operator;

import java.util.List;
import java.util.Set;

/**
 * Every Kubernetes API permission the operator uses, in one list: the chart's RBAC is checked
 * against it, and the operator's tests check that each request it makes is in it.
 */
public final class Permissions {
  /** Where a rule must apply. */
  public enum Scope {
    /** In every watched namespace (cluster-wide when all are watched). */
    WATCHED_NAMESPACES,
    /** In the release namespace, where the proxies, the snapshot Secret and the lease are. */
    OWN_NAMESPACE,
    /** Cluster-scoped resources. */
    CLUSTER
  }

  /** One rule: verbs on a resource of an API group ("" for the core group). */
  public record Rule(String apiGroup, String resource, Set<String> verbs, Scope scope) {}

  public static final List<Rule> RULES = List.of(
      new Rule("switchboard.dev", "chatbackends", Set.of("get", "list", "watch"), Scope.WATCHED_NAMESPACES),
      new Rule("switchboard.dev", "modelroutes", Set.of("get", "list", "watch"), Scope.WATCHED_NAMESPACES),
      new Rule("switchboard.dev", "chatbackends/status", Set.of("get", "update", "patch"), Scope.WATCHED_NAMESPACES),
      new Rule("switchboard.dev", "modelroutes/status", Set.of("get", "update", "patch"), Scope.WATCHED_NAMESPACES),
      // Referenced Secrets, each read by an informer on its name (list and watch with a name selector).
      new Rule("", "secrets", Set.of("get", "list", "watch"), Scope.WATCHED_NAMESPACES),
      new Rule("", "events", Set.of("create"), Scope.WATCHED_NAMESPACES),
      // The snapshot Secret, written in the release namespace.
      new Rule("", "secrets", Set.of("get", "list", "watch", "create", "update", "patch"), Scope.OWN_NAMESPACE),
      new Rule("", "pods", Set.of("get", "list", "watch"), Scope.OWN_NAMESPACE),
      new Rule("coordination.k8s.io", "leases", Set.of("get", "list", "watch", "create", "update", "patch"), Scope.OWN_NAMESPACE),
      // JOSDK checks its lease permissions before leader election.
      new Rule("authorization.k8s.io", "selfsubjectrulesreviews", Set.of("create"), Scope.CLUSTER));

  private Permissions() {}

  /** Whether some rule allows {@code verb} on {@code resource} of {@code apiGroup}. */
  public static boolean allows(String apiGroup, String resource, String verb) {
    return RULES.stream().anyMatch(r -> r.apiGroup().equals(apiGroup) && r.resource().equals(resource) && r.verbs().contains(verb));
  }
}
