package dev.switchboard.operator.reconcile;

import dev.switchboard.api.v1alpha1.Condition;
import dev.switchboard.api.v1alpha1.ModelRoute;
import dev.switchboard.api.v1alpha1.ModelRouteStatus;
import dev.switchboard.operator.status.RouteStatuses;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/** Writes a ModelRoute's status. */
public final class ModelRouteReconciler implements Reconciler<ModelRoute> {
  private final StatusHub hub;
  private final StatusEvents events;
  private final Clock clock;

  public ModelRouteReconciler(StatusHub hub, StatusEvents events, Clock clock) {
    this.hub = hub;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, ModelRoute>> prepareEventSources(EventSourceContext<ModelRoute> ctx) {
    return List.of(hub.routeEvents());
  }

  @Override
  public UpdateControl<ModelRoute> reconcile(ModelRoute route, Context<ModelRoute> context) {
    ModelRouteStatus current = route.getStatus();
    ModelRouteStatus desired = RouteStatuses.desired(route, hub.compilation(), hub::readiness, clock.instant());
    if (Objects.equals(desired, current)) {
      return UpdateControl.noUpdate();
    }
    events.transitions(route, current == null ? List.<Condition>of() : current.conditions(), desired.conditions());
    route.setStatus(desired);
    StatusWriter.replaceStatus(context.getClient(), route);
    return UpdateControl.noUpdate();
  }
}
