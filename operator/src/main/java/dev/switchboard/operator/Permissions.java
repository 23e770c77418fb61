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
    /** Granted to every authenticated user by Kubernetes' default {@code system:basic-user} role. */
    EVERY_USER
  }

  /** One rule: verbs on a resource of an API group ("" for the core group), and why they are needed. */
  public record Rule(String apiGroup, String resource, Set<String> verbs, Scope scope, String why) {}

  public static final List<Rule> RULES = List.of(
      new Rule("switchboard.dev", "chatbackends", Set.of("list", "watch"), Scope.WATCHED_NAMESPACES, "informers"),
      new Rule("switchboard.dev", "modelroutes", Set.of("list", "watch"), Scope.WATCHED_NAMESPACES, "informers"),
      new Rule("switchboard.dev", "clientkeys", Set.of("list", "watch"), Scope.WATCHED_NAMESPACES, "informers"),
      new Rule("switchboard.dev", "clientkeys/status", Set.of("update"), Scope.WATCHED_NAMESPACES, "status is replaced whole"),
      new Rule("switchboard.dev", "chatbackends/status", Set.of("update"), Scope.WATCHED_NAMESPACES, "status is replaced whole"),
      new Rule("switchboard.dev", "modelroutes/status", Set.of("update"), Scope.WATCHED_NAMESPACES, "status is replaced whole"),
      new Rule("", "secrets", Set.of("list", "watch"), Scope.WATCHED_NAMESPACES,
          "one informer per referenced Secret, by name (so RBAC may list the names)"),
      new Rule("", "configmaps", Set.of("list", "watch"), Scope.WATCHED_NAMESPACES,
          "one informer per CA bundle ConfigMap a ChatBackend's spec.tls names, by name"),
      new Rule("", "secrets", Set.of("create"), Scope.WATCHED_NAMESPACES,
          "the generated key of a ClientKey without secretRef, owned by it (deleted with it)"),
      new Rule("", "events", Set.of("create"), Scope.WATCHED_NAMESPACES, "events on condition transitions"),
      new Rule("", "secrets", Set.of("get", "create", "patch"), Scope.OWN_NAMESPACE, "the snapshot Secret"),
      new Rule("", "secrets", Set.of("list", "watch"), Scope.OWN_NAMESPACE, "the client keys Secret, by name"),
      new Rule("", "pods", Set.of("list", "watch"), Scope.OWN_NAMESPACE, "the proxy pods"),
      // fabric8's lease lock uses get, create and patch; JOSDK refuses to start leader election
      // unless a rules review also shows update.
      new Rule("coordination.k8s.io", "leases", Set.of("get", "create", "update", "patch"), Scope.OWN_NAMESPACE,
          "leader election"),
      new Rule("authorization.k8s.io", "selfsubjectrulesreviews", Set.of("create"), Scope.EVERY_USER,
          "JOSDK checks its lease permissions"));

  /** Verbs in {@link #RULES} that the test scenario cannot exercise, and why they are there anyway. */
  public static final Set<String> UNEXERCISED = Set.of("update coordination.k8s.io/leases");

  private Permissions() {}

  /** Whether some rule allows {@code verb} on {@code resource} of {@code apiGroup}. */
  public static boolean allows(String apiGroup, String resource, String verb) {
    return RULES.stream().anyMatch(r -> r.apiGroup().equals(apiGroup) && r.resource().equals(resource) && r.verbs().contains(verb));
  }
}
