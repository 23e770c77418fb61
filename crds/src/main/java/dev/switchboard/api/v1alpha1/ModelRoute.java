package dev.switchboard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A model name clients send, mapped onto one or more backend targets. */
@Group(ChatBackend.GROUP)
@Version(ChatBackend.VERSION)
@Kind("ModelRoute")
@Plural("modelroutes")
@Singular("modelroute")
@ShortNames("mr")
@Categories("switchboard")
@JsonClassDescription("ModelRoute maps a model name that clients send (and its aliases) onto targets: backends and their models, chosen by a strategy (failover, round-robin, weighted, least-latency) with retries. The status says whether the route is accepted, its references resolve, and a target is ready.")
@AdditionalPrinterColumn(name = "Model", jsonPath = ".spec.model", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Strategy", jsonPath = ".spec.strategy", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Accepted", jsonPath = ".status.conditions[?(@.type==\"Accepted\")].reason", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Aliases", jsonPath = ".spec.aliases", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ModelRoute extends CustomResource<ModelRouteSpec, ModelRouteStatus> implements Namespaced {
  public static final String KIND = "ModelRoute";

  @Override
  @JsonPropertyDescription("Desired state: the model name, its aliases, strategy, targets and retries.")
  public ModelRouteSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state, written by the operator: conditions and per-target readiness.")
  public ModelRouteStatus getStatus() {
    return super.getStatus();
  }
}
