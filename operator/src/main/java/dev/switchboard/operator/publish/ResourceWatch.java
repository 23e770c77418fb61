package dev.switchboard.operator.publish;

import dev.switchboard.api.v1alpha1.ChatBackend;
import dev.switchboard.api.v1alpha1.ClientKey;
import dev.switchboard.api.v1alpha1.ModelRoute;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The ChatBackends, ModelRoutes and ClientKeys the compiler sees, from informers in the watched namespaces.
 * A change to a spec, a creation or a deletion asks for a compile; status-only updates do not,
 * except a ChatBackend's capability checks, which the config carries to every proxy.
 */
public final class ResourceWatch implements AutoCloseable {
  private final List<SharedIndexInformer<ChatBackend>> backends = new ArrayList<>();
  private final List<SharedIndexInformer<ModelRoute>> routes = new ArrayList<>();
  private final List<SharedIndexInformer<ClientKey>> clientKeys = new ArrayList<>();

  public ResourceWatch(KubernetesClient client, Set<String> namespaces, Runnable onChange) {
    if (namespaces.isEmpty()) {
      backends.add(client.resources(ChatBackend.class).inAnyNamespace().inform(handler(onChange, ResourceWatch::compiled)));
      routes.add(client.resources(ModelRoute.class).inAnyNamespace().inform(handler(onChange, ModelRoute::getSpec)));
      clientKeys.add(client.resources(ClientKey.class).inAnyNamespace().inform(handler(onChange, ClientKey::getSpec)));
    } else {
      for (String ns : namespaces) {
        backends.add(client.resources(ChatBackend.class).inNamespace(ns).inform(handler(onChange, ResourceWatch::compiled)));
        routes.add(client.resources(ModelRoute.class).inNamespace(ns).inform(handler(onChange, ModelRoute::getSpec)));
        clientKeys.add(client.resources(ClientKey.class).inNamespace(ns).inform(handler(onChange, ClientKey::getSpec)));
      }
    }
  }

  private static <T extends HasMetadata> ResourceEventHandler<T> handler(Runnable onChange, Function<T, Object> spec) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T resource) {
        onChange.run();
      }

      @Override
      public void onUpdate(T old, T resource) {
        // Annotations matter too: routes are ordered by age, and nothing else outside spec counts.
        if (!Objects.equals(spec.apply(old), spec.apply(resource))
            || !Objects.equals(old.getMetadata().getCreationTimestamp(), resource.getMetadata().getCreationTimestamp())) {
          onChange.run();
        }
      }

      @Override
      public void onDelete(T resource, boolean unknown) {
        onChange.run();
      }
    };
  }

  /** What of a ChatBackend the compiler reads: its spec, and the capability checks in its status (routing uses them). */
  private static Object compiled(ChatBackend b) {
    return java.util.Arrays.asList(b.getSpec(), b.getStatus() == null ? null : b.getStatus().capabilities());
  }

  /** Every backend, sorted by namespace and name (the compiler's input order). */
  public List<ChatBackend> backends() {
    return sorted(backends);
  }

  public List<ModelRoute> routes() {
    return sorted(routes);
  }

  public List<ClientKey> clientKeys() {
    return sorted(clientKeys);
  }

  private static <T extends HasMetadata> List<T> sorted(List<SharedIndexInformer<T>> informers) {
    List<T> all = new ArrayList<>();
    informers.forEach(i -> all.addAll(i.getStore().list()));
    all.sort(Comparator.comparing((T r) -> r.getMetadata().getNamespace()).thenComparing(r -> r.getMetadata().getName()));
    return all;
  }

  @Override
  public void close() {
    backends.forEach(SharedIndexInformer::close);
    routes.forEach(SharedIndexInformer::close);
    clientKeys.forEach(SharedIndexInformer::close);
  }
}
