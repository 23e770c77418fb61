package dev.switchboard.operator.reconcile;

import dev.switchboard.api.v1alpha1.ChatBackend;
import dev.switchboard.api.v1alpha1.ChatBackendStatus;
import dev.switchboard.api.v1alpha1.Condition;
import dev.switchboard.compiler.ResourceRef;
import dev.switchboard.operator.status.BackendStatuses;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Writes a ChatBackend's status; asks for a probe when the check-now annotation changes. */
public final class ChatBackendReconciler implements Reconciler<ChatBackend> {
  public static final String CHECK_NOW = "switchboard.dev/check-now";

  private final StatusHub hub;
  private final StatusEvents events;
  private final Clock clock;

  public ChatBackendReconciler(StatusHub hub, StatusEvents events, Clock clock) {
    this.hub = hub;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, ChatBackend>> prepareEventSources(io.javaoperatorsdk.operator.api.reconciler.EventSourceContext<ChatBackend> ctx) {
    return List.of(hub.backendEvents());
  }

  @Override
  public UpdateControl<ChatBackend> reconcile(ChatBackend backend, Context<ChatBackend> context) {
    ChatBackendStatus current = backend.getStatus();
    Map<String, String> annotations = backend.getMetadata().getAnnotations();
    String requested = annotations == null ? null : annotations.get(CHECK_NOW);
    String handled = current == null ? null : current.checkRequest();
    if (requested != null && !requested.equals(handled)) {
      hub.probeNow(ResourceRef.of(backend).id());
      handled = requested;
    }
    String id = ResourceRef.of(backend).id();
    ChatBackendStatus desired = BackendStatuses.desired(backend, hub.compilation(), hub.connectivity(id), handled, hub.checked(id),
        clock.instant());
    if (Objects.equals(desired, current)) {
      return UpdateControl.noUpdate();
    }
    events.transitions(backend, current == null ? List.<Condition>of() : current.conditions(), desired.conditions());
    backend.setStatus(desired);
    StatusWriter.replaceStatus(context.getClient(), backend);
    return UpdateControl.noUpdate();
  }
}
