package dev.switchboard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Two replicas with leader election: one writes, the other waits, and takes over when the first stops. */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {
  KubernetesClient client;
  KubernetesMockServer server;

  @Test
  void onlyTheLeaseHolderWritesAndAStandbyTakesOver() {
    // JOSDK checks its lease permissions before electing; a cluster answers from RBAC, the mock from this.
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews").andReturn(201,
        new SelfSubjectRulesReviewBuilder().withNewMetadata().endMetadata().withNewStatus().withIncomplete(false)
            .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*").endResourceRule()
            .endStatus().build()).always();
    SwitchboardOperator first = OperatorHarness.start(client, OperatorHarness.settings(true, "replica-1"));
    await().atMost(Duration.ofSeconds(20)).until(first::leading);
    SwitchboardOperator second = OperatorHarness.start(client, OperatorHarness.settings(true, "replica-2"));
    try {
      OperatorHarness.apply(client, """
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: mock}
          spec: {provider: mock, models: [{name: echo}]}
          """);
      await().atMost(Duration.ofSeconds(20)).until(() -> OperatorHarness.backend(client, "default", "mock").getStatus() != null);
      // The standby stays a standby while the leader renews: it holds no lease and runs no publisher.
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> first.leading() && !second.leading());
      assertThat(second.ready()).as("a standby is ready: it waits for the lease").isTrue();
      Lease lease = client.leases().inNamespace(OperatorHarness.PROXY_NAMESPACE).withName("switchboard-operator").get();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-1");

      first.close();
      await().atMost(Duration.ofSeconds(20)).until(second::leading);
      assertThat(client.leases().inNamespace(OperatorHarness.PROXY_NAMESPACE).withName("switchboard-operator").get()
          .getSpec().getHolderIdentity()).isEqualTo("replica-2");
      OperatorHarness.apply(client, """
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: later}
          spec: {provider: mock, models: [{name: echo}]}
          """);
      await().atMost(Duration.ofSeconds(20)).until(() -> OperatorHarness.backend(client, "default", "later").getStatus() != null);
    } finally {
      second.close();
    }
  }
}
