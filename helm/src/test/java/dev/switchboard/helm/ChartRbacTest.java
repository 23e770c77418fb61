package dev.switchboard.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.operator.Permissions;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC against {@link Permissions}, the list the operator's own tests check every
 * request it makes against: everything it uses is granted where it is used, and nothing more.
 */
class ChartRbacTest {
  private static final String OPERATOR_SA = "sb-switchboard-operator";
  private static final String ALL = "*";

  @Test
  void clusterWideInstallGrantsEveryPermissionAndNoMore() {
    Grants grants = Grants.of(Chart.render("defaults"), OPERATOR_SA);
    assertCovers(grants, List.of(ALL), false, false);
    assertExact(grants);
    // One operator: no leader election, so no Lease rights.
    assertThat(grants.allows(Chart.NAMESPACE, "coordination.k8s.io", "leases", "create")).isFalse();
  }

  @Test
  void haInstallAddsLeaseRightsInItsOwnNamespaceOnly() {
    Grants grants = Grants.of(Chart.render("ha"), OPERATOR_SA);
    assertCovers(grants, List.of(ALL), true, false);
    assertExact(grants);
    assertThat(grants.allows("elsewhere", "coordination.k8s.io", "leases", "create")).isFalse();
  }

  @Test
  void namespaceScopedInstallUsesRolesAndNamedSecrets() {
    Chart.Rendered rendered = Chart.render("namespaced");
    assertThat(rendered.typed(ClusterRole.class)).isEmpty();
    assertThat(rendered.typed(ClusterRoleBinding.class)).isEmpty();
    Grants grants = Grants.of(rendered, OPERATOR_SA);
    assertCovers(grants, List.of("team-a", "team-b"), false, false);
    assertExact(grants);
    assertThat(grants.allows("team-c", "switchboard.dev", "chatbackends", "list")).isFalse();
    // Provider keys and ClientKeys' Secrets: reading only the listed Secrets; creating (the
    // generated client keys) cannot be limited by name, and a create rule with names would deny it.
    List<PolicyRule> secrets = grants.rules.get("team-a").stream().filter(r -> r.getResources().contains("secrets")).toList();
    assertThat(secrets).hasSize(2);
    assertThat(secrets).filteredOn(r -> !r.getVerbs().equals(List.of("create"))).singleElement().satisfies(r -> {
      assertThat(r.getVerbs()).containsExactlyInAnyOrder("list", "watch");
      assertThat(r.getResourceNames()).containsExactly("openai-key", "anthropic-key");
    });
    assertThat(secrets).filteredOn(r -> r.getVerbs().equals(List.of("create")))
        .singleElement().satisfies(r -> assertThat(r.getResourceNames()).isNullOrEmpty());
    assertThat(grants.allows("team-b", "switchboard.dev", "clientkeys", "watch")).isTrue();
    assertThat(grants.allows("team-b", "switchboard.dev", "clientkeys/status", "update")).isTrue();
    assertThat(grants.allows("team-c", "switchboard.dev", "clientkeys", "list")).isFalse();
  }

  @Test
  void ownNamespaceSecretsAreLimitedToTheSnapshotAndClientKeys() {
    Grants grants = Grants.of(Chart.render("existing-secrets"), OPERATOR_SA);
    assertCovers(grants, List.of(ALL), false, true);
    assertExact(grants);
    List<PolicyRule> own = grants.rules.get(Chart.NAMESPACE).stream().filter(r -> r.getResources().contains("secrets")).toList();
    // Creating cannot be limited by name; everything else is.
    assertThat(own).allSatisfy(r -> {
      if (!r.getVerbs().equals(List.of("create"))) {
        assertThat(r.getResourceNames()).isNotEmpty();
      }
    });
    assertThat(own).anySatisfy(r -> {
      assertThat(r.getResourceNames()).containsExactly("my-snapshot");
      assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "patch");
    });
    assertThat(own).anySatisfy(r -> {
      assertThat(r.getResourceNames()).containsExactly("client-keys");
      assertThat(r.getVerbs()).containsExactlyInAnyOrder("list", "watch");
    });
  }

  @Test
  void theProxiesHaveNoRights() {
    Grants grants = Grants.of(Chart.render("all-features"), "sb-switchboard-proxy");
    assertThat(grants.rules).isEmpty();
  }

  /** Every rule of Permissions is granted where the operator needs it. */
  private static void assertCovers(Grants grants, List<String> watched, boolean leaderElection, boolean clientKeys) {
    List<String> missing = new ArrayList<>();
    for (Permissions.Rule rule : Permissions.RULES) {
      List<String> where = switch (rule.scope()) {
        case WATCHED_NAMESPACES -> watched;
        case OWN_NAMESPACE -> List.of(Chart.NAMESPACE);
        case EVERY_USER -> List.of();
      };
      if (rule.resource().equals("leases") && !leaderElection) {
        continue;
      }
      if (rule.why().contains("client keys") && !clientKeys) {
        continue;
      }
      for (String ns : where) {
        for (String verb : rule.verbs()) {
          if (!grants.allows(ns, rule.apiGroup(), rule.resource(), verb)) {
            missing.add(verb + " " + rule.apiGroup() + "/" + rule.resource() + " in " + ns + " (" + rule.why() + ")");
          }
        }
      }
    }
    assertThat(missing).as("permissions the operator uses that the chart does not grant").isEmpty();
  }

  /** No verb beyond those Permissions lists, and no wildcard. */
  private static void assertExact(Grants grants) {
    Map<String, Set<String>> used = new HashMap<>();
    Permissions.RULES.forEach(r -> used.computeIfAbsent(r.apiGroup() + "/" + r.resource(), k -> new TreeSet<>()).addAll(r.verbs()));
    Set<String> extra = new TreeSet<>();
    grants.rules.values().forEach(rules -> rules.forEach(rule -> {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            if (!used.getOrDefault(group + "/" + resource, Set.of()).contains(verb)) {
              extra.add(verb + " " + group + "/" + resource);
            }
          }
        }
      }
    }));
    assertThat(extra).as("verbs the chart grants that the operator never uses").isEmpty();
  }

  /** The rules bound to one ServiceAccount, by namespace ("*" for cluster-wide). */
  record Grants(Map<String, List<PolicyRule>> rules) {
    static Grants of(Chart.Rendered rendered, String serviceAccount) {
      Map<String, List<PolicyRule>> rules = new HashMap<>();
      Map<String, List<PolicyRule>> clusterRoles = new HashMap<>();
      rendered.typed(ClusterRole.class).forEach(r -> clusterRoles.put(r.getMetadata().getName(), r.getRules()));
      Map<String, List<PolicyRule>> roles = new HashMap<>();
      rendered.typed(Role.class).forEach(r -> roles.put(r.getMetadata().getNamespace() + "/" + r.getMetadata().getName(), r.getRules()));
      for (ClusterRoleBinding b : rendered.typed(ClusterRoleBinding.class)) {
        if (bindsTo(b.getSubjects(), serviceAccount)) {
          rules.computeIfAbsent(ALL, k -> new ArrayList<>()).addAll(resolve(b.getRoleRef(), null, clusterRoles, roles));
        }
      }
      for (RoleBinding b : rendered.typed(RoleBinding.class)) {
        if (bindsTo(b.getSubjects(), serviceAccount)) {
          String ns = b.getMetadata().getNamespace();
          rules.computeIfAbsent(ns, k -> new ArrayList<>()).addAll(resolve(b.getRoleRef(), ns, clusterRoles, roles));
        }
      }
      return new Grants(rules);
    }

    private static boolean bindsTo(List<Subject> subjects, String serviceAccount) {
      return subjects.stream().anyMatch(s -> s.getKind().equals("ServiceAccount") && s.getName().equals(serviceAccount)
          && Chart.NAMESPACE.equals(s.getNamespace()));
    }

    private static List<PolicyRule> resolve(RoleRef ref, String namespace, Map<String, List<PolicyRule>> clusterRoles,
        Map<String, List<PolicyRule>> roles) {
      List<PolicyRule> found = ref.getKind().equals("ClusterRole") ? clusterRoles.get(ref.getName()) : roles.get(namespace + "/" + ref.getName());
      assertThat(found).as("the chart defines the %s %s it binds", ref.getKind(), ref.getName()).isNotNull();
      return found;
    }

    boolean allows(String namespace, String group, String resource, String verb) {
      return rules.entrySet().stream().filter(e -> e.getKey().equals(ALL) || e.getKey().equals(namespace))
          .flatMap(e -> e.getValue().stream())
          .anyMatch(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource) && r.getVerbs().contains(verb));
    }
  }
}
