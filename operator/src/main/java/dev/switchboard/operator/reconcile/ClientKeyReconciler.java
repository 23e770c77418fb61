package dev.switchboard.operator.reconcile;

import dev.switchboard.api.v1alpha1.ClientKey;
import dev.switchboard.api.v1alpha1.ClientKeyStatus;
import dev.switchboard.api.v1alpha1.Condition;
import dev.switchboard.compiler.ClientKeyOutcome;
import dev.switchboard.compiler.Reasons;
import dev.switchboard.compiler.ResourceRef;
import dev.switchboard.operator.status.ClientKeyStatuses;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A ClientKey: generates its key into a Secret it owns when it names none, and writes its status
 * (conditions, and the fleet's usage at most once per usage interval, so traffic does not turn
 * into a status write per request).
 */
public final class ClientKeyReconciler implements Reconciler<ClientKey> {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.operator");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final StatusHub hub;
  private final StatusEvents events;
  private final Clock clock;
  private final Duration usageInterval;
  private final Map<String, Instant> lastWrite = new ConcurrentHashMap<>();
  private final Set<String> generated = ConcurrentHashMap.newKeySet();

  public ClientKeyReconciler(StatusHub hub, StatusEvents events, Clock clock, Duration usageInterval) {
    this.hub = hub;
    this.events = events;
    this.clock = clock;
    this.usageInterval = usageInterval;
  }

  @Override
  public List<EventSource<?, ClientKey>> prepareEventSources(EventSourceContext<ClientKey> ctx) {
    return List.of(hub.clientEvents());
  }

  /** {@code sk-sb-} and 32 bytes from a secure random source, base64url: 43 characters. */
  static String newKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "sk-sb-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public UpdateControl<ClientKey> reconcile(ClientKey key, Context<ClientKey> context) {
    String id = ResourceRef.of(key).id();
    Optional<ClientKeyOutcome> outcome = hub.compilation().clients().stream().filter(c -> c.ref().id().equals(id)).findFirst();
    if (key.getSpec() != null && key.getSpec().secretRef() == null
        && outcome.map(o -> Reasons.SECRET_NOT_FOUND.equals(o.reason())).orElse(true)) {
      generate(context.getClient(), key);
    }
    Instant now = clock.instant();
    ClientKeyStatus current = key.getStatus();
    ClientKeyStatus desired = ClientKeyStatuses.desired(key, outcome, hub.usage(id), hub.quotaDegraded(), now);
    UpdateControl<ClientKey> control = UpdateControl.noUpdate();
    Optional<Instant> expires = ClientKeyStatuses.expiresAt(key).filter(now::isBefore);
    if (expires.isPresent()) {
      control = control.rescheduleAfter(Duration.between(now, expires.get()).plusSeconds(1));
    }
    if (Objects.equals(desired, current)) {
      return control;
    }
    boolean onlyUsage = current != null
        && Objects.equals(new ClientKeyStatus(desired.observedGeneration(), desired.conditions(), desired.secretName(), current.usage()), current);
    Instant last = lastWrite.get(id);
    if (onlyUsage && last != null && now.isBefore(last.plus(usageInterval))) {
      return UpdateControl.<ClientKey>noUpdate().rescheduleAfter(Duration.between(now, last.plus(usageInterval)).plusMillis(50));
    }
    events.transitions(key, current == null ? List.<Condition>of() : current.conditions(), desired.conditions());
    key.setStatus(desired);
    StatusWriter.replaceStatus(context.getClient(), key);
    lastWrite.put(id, now);
    return control;
  }

  private void generate(KubernetesClient client, ClientKey key) {
    String uid = key.getMetadata().getUid();
    if (uid == null || generated.contains(uid)) {
      return;
    }
    String name = ClientKey.generatedSecretName(key.getMetadata().getName());
    try {
      client.secrets().inNamespace(key.getMetadata().getNamespace()).resource(new SecretBuilder()
          .withNewMetadata()
            .withName(name)
            .withNamespace(key.getMetadata().getNamespace())
            .addToLabels("app.kubernetes.io/managed-by", "switchboard-operator")
            .addToLabels("switchboard.dev/client-key", key.getMetadata().getName())
            .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(key.getApiVersion()).withKind(ClientKey.KIND)
                .withName(key.getMetadata().getName()).withUid(uid).withController(true).build())
          .endMetadata()
          .withType("Opaque")
          .addToStringData(ClientKey.GENERATED_SECRET_KEY, newKey())
          .build()).create();
      generated.add(uid);
      LOG.log(System.Logger.Level.INFO, "generated the key of ClientKey " + key.getMetadata().getNamespace() + "/"
          + key.getMetadata().getName() + " into Secret " + name);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        generated.add(uid); // it exists: the compiler reads it (and says so if it holds no api-key)
      } else {
        LOG.log(System.Logger.Level.WARNING, "cannot create Secret " + name + " for ClientKey " + key.getMetadata().getName()
            + ": HTTP " + e.getCode());
      }
    }
  }
}
