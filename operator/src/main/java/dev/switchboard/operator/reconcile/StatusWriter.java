package dev.switchboard.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Replaces a resource's whole status (PUT on the status subresource). A merge patch could not
 * remove fields that no longer apply (a backend that stops being accepted loses its
 * connectivity); the resourceVersion makes a concurrent change fail the write, and JOSDK retries
 * the reconcile with the fresh resource.
 */
final class StatusWriter {
  private StatusWriter() {}

  static <T extends HasMetadata> void replaceStatus(KubernetesClient client, T resource) {
    client.resource(resource).updateStatus();
  }
}
