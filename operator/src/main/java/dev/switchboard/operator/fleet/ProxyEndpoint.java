package dev.switchboard.operator.fleet;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/** A proxy pod's admin endpoint. */
public record ProxyEndpoint(String pod, String uid, String ip, int adminPort) {
  /** The port proxies use when their pod names no port {@code admin}. */
  public static final int DEFAULT_ADMIN_PORT = 9090;

  /** The endpoint of a pod that can take a config: Running, with an IP, not being deleted. */
  public static Optional<ProxyEndpoint> of(Pod pod) {
    if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())
        || pod.getStatus().getPodIP() == null || pod.getStatus().getPodIP().isEmpty()
        || pod.getMetadata().getDeletionTimestamp() != null) {
      return Optional.empty();
    }
    int port = DEFAULT_ADMIN_PORT;
    if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
      for (var container : pod.getSpec().getContainers()) {
        if (container.getPorts() == null) {
          continue;
        }
        for (ContainerPort p : container.getPorts()) {
          if ("admin".equals(p.getName()) && p.getContainerPort() != null) {
            port = p.getContainerPort();
          }
        }
      }
    }
    String uid = pod.getMetadata().getUid() == null ? pod.getMetadata().getName() : pod.getMetadata().getUid();
    return Optional.of(new ProxyEndpoint(pod.getMetadata().getName(), uid, pod.getStatus().getPodIP(), port));
  }

  public String baseUrl() {
    String host = ip.contains(":") ? "[" + ip + "]" : ip;
    return "http://" + host + ":" + adminPort;
  }
}
