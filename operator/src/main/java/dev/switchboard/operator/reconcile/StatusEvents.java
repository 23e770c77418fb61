package dev.switchboard.operator.reconcile;

import dev.switchboard.api.v1alpha1.Condition;
import dev.switchboard.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Kubernetes Events for condition transitions (accepted, rejected, became reachable or
 * unreachable, ready or not), so {@code kubectl describe} and event exporters show what happened
 * and when. Failing to write an Event never fails a reconcile.
 */
public final class StatusEvents {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.operator");
  private static final List<String> TYPES = List.of("Accepted", "ResolvedRefs", "Reachable", "Ready", "BudgetExhausted", "Expired",
      "Degraded");
  /** Conditions that are bad news when True. */
  private static final java.util.Set<String> TROUBLE = java.util.Set.of("BudgetExhausted", "Expired", "Degraded");

  private final KubernetesClient client;

  public StatusEvents(KubernetesClient client) {
    this.client = client;
  }

  /** Records one Event per condition whose status changed (a condition that only appears for the first time included). */
  public void transitions(HasMetadata resource, List<Condition> before, List<Condition> after) {
    for (String type : TYPES) {
      Condition now = Conditions.find(after, type).orElse(null);
      if (now == null || Condition.UNKNOWN.equals(now.status())) {
        continue;
      }
      Condition was = Conditions.find(before, type).orElse(null);
      if (was == null && TROUBLE.contains(type) && Condition.FALSE.equals(now.status())) {
        continue; // "not exhausted" on a new key is no news
      }
      if (was != null && was.status().equals(now.status())) {
        continue;
      }
      emit(resource, now);
    }
  }

  private void emit(HasMetadata resource, Condition condition) {
    String stamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    boolean good = Condition.TRUE.equals(condition.status()) != TROUBLE.contains(condition.type());
    String message = condition.type() + " is " + condition.status() + ": " + condition.message();
    try {
      client.v1().events().inNamespace(resource.getMetadata().getNamespace()).resource(new EventBuilder()
          .withNewMetadata()
            .withName(resource.getMetadata().getName() + "." + Long.toHexString(System.currentTimeMillis())
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000)))
            .withNamespace(resource.getMetadata().getNamespace())
          .endMetadata()
          .withNewInvolvedObject()
            .withApiVersion(resource.getApiVersion())
            .withKind(resource.getKind())
            .withName(resource.getMetadata().getName())
            .withNamespace(resource.getMetadata().getNamespace())
            .withUid(resource.getMetadata().getUid())
          .endInvolvedObject()
          .withType(good ? "Normal" : "Warning")
          .withReason(condition.reason())
          .withMessage(message.length() <= 1024 ? message : message.substring(0, 1021) + "...")
          .withFirstTimestamp(stamp)
          .withLastTimestamp(stamp)
          .withCount(1)
          .withNewSource().withComponent("switchboard-operator").endSource()
          .withReportingComponent("switchboard-operator")
          .build()).create();
    } catch (KubernetesClientException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot record an event on " + resource.getKind() + " "
          + resource.getMetadata().getName() + ": HTTP " + e.getCode());
    }
  }
}
