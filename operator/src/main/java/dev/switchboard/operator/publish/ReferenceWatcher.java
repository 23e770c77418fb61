package dev.switchboard.operator.publish;

import dev.switchboard.compiler.SecretLookup;
import dev.switchboard.config.SecretValue;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches exactly the Secrets that resources reference, one informer per Secret (by name), so the
 * operator never reads Secrets nobody pointed it at; a rotated key reaches the proxies within
 * seconds. Decoded values are held as {@link SecretValue}s and never logged.
 */
public final class SecretWatcher implements AutoCloseable {
  private final KubernetesClient client;
  private final Runnable onChange;
  private final Map<String, SharedIndexInformer<Secret>> informers = new ConcurrentHashMap<>();
  private final Map<String, Map<String, SecretValue>> data = new ConcurrentHashMap<>();

  public SecretWatcher(KubernetesClient client, Runnable onChange) {
    this.client = client;
    this.onChange = onChange;
  }

  /** Watches these Secrets ({@code namespace/name}) and no others; returns once each one has been read. */
  public synchronized void watch(Set<String> wanted) {
    informers.keySet().removeIf(id -> {
      if (!wanted.contains(id)) {
        informers.get(id).close();
        data.remove(id);
        return true;
      }
      return false;
    });
    for (String id : wanted) {
      if (informers.containsKey(id)) {
        continue;
      }
      int slash = id.indexOf('/');
      informers.put(id, client.secrets().inNamespace(id.substring(0, slash)).withName(id.substring(slash + 1))
          .inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
              store(id, secret);
            }

            @Override
            public void onUpdate(Secret old, Secret secret) {
              store(id, secret);
            }

            @Override
            public void onDelete(Secret secret, boolean unknown) {
              if (data.remove(id) != null) {
                onChange.run();
              }
            }
          }));
    }
  }

  private void store(String id, Secret secret) {
    Map<String, SecretValue> values = new HashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> {
        try {
          values.put(k, SecretValue.of(new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
          // not base64: the backend will report the key as missing
        }
      });
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> values.put(k, SecretValue.of(v)));
    }
    Map<String, SecretValue> previous = data.put(id, Map.copyOf(values));
    if (!values.equals(previous)) {
      onChange.run();
    }
  }

  public SecretLookup lookup() {
    return (namespace, name) -> Optional.ofNullable(data.get(namespace + "/" + name));
  }

  public Optional<Map<String, SecretValue>> secret(String id) {
    return Optional.ofNullable(data.get(id));
  }

  @Override
  public synchronized void close() {
    informers.values().forEach(SharedIndexInformer::close);
    informers.clear();
  }
}
