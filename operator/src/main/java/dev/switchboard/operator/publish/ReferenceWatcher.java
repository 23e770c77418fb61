package dev.switchboard.operator.publish;

import dev.switchboard.compiler.SecretLookup;
import dev.switchboard.config.SecretValue;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Watches exactly the Secrets and ConfigMaps that resources reference, one informer per object
 * (by name), so the operator never reads objects nobody pointed it at; a rotated key or CA
 * bundle reaches the proxies within seconds. Decoded Secret values are held as
 * {@link SecretValue}s and never logged.
 */
public final class ReferenceWatcher implements AutoCloseable {
  private final Named<Secret, SecretValue> secrets;
  private final Named<ConfigMap, String> configMaps;

  public ReferenceWatcher(KubernetesClient client, Runnable onChange) {
    this.secrets = new Named<>((ns, name) -> client.secrets().inNamespace(ns).withName(name)::inform, ReferenceWatcher::secretData, onChange);
    this.configMaps = new Named<>((ns, name) -> client.configMaps().inNamespace(ns).withName(name)::inform,
        ReferenceWatcher::configMapData, onChange);
  }

  /** Watches these Secrets and ConfigMaps ({@code namespace/name}) and no others. */
  public void watch(Set<String> wantedSecrets, Set<String> wantedConfigMaps) {
    secrets.watch(wantedSecrets);
    configMaps.watch(wantedConfigMaps);
  }

  public SecretLookup lookup() {
    return new SecretLookup() {
      @Override
      public Optional<Map<String, SecretValue>> find(String namespace, String name) {
        return secrets.get(namespace + "/" + name);
      }

      @Override
      public Optional<Map<String, String>> configMap(String namespace, String name) {
        return configMaps.get(namespace + "/" + name);
      }
    };
  }

  public Optional<Map<String, SecretValue>> secret(String id) {
    return secrets.get(id);
  }

  @Override
  public void close() {
    secrets.close();
    configMaps.close();
  }

  private static Map<String, SecretValue> secretData(Secret secret) {
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
    return values;
  }

  private static Map<String, String> configMapData(ConfigMap map) {
    Map<String, String> values = new HashMap<>();
    if (map.getBinaryData() != null) {
      map.getBinaryData().forEach((k, v) -> {
        try {
          values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          // not base64: reported as a missing key
        }
      });
    }
    if (map.getData() != null) {
      values.putAll(map.getData());
    }
    return values;
  }

  /** One informer per named object of one kind, and their data. */
  private static final class Named<T extends HasMetadata, V> {
    private final BiFunction<String, String, Function<ResourceEventHandler<T>, SharedIndexInformer<T>>> informer;
    private final Function<T, Map<String, V>> extract;
    private final Runnable onChange;
    private final Map<String, SharedIndexInformer<T>> informers = new ConcurrentHashMap<>();
    private final Map<String, Map<String, V>> data = new ConcurrentHashMap<>();

    Named(BiFunction<String, String, Function<ResourceEventHandler<T>, SharedIndexInformer<T>>> informer,
        Function<T, Map<String, V>> extract, Runnable onChange) {
      this.informer = informer;
      this.extract = extract;
      this.onChange = onChange;
    }

    synchronized void watch(Set<String> wanted) {
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
        informers.put(id, informer.apply(id.substring(0, slash), id.substring(slash + 1)).apply(new ResourceEventHandler<>() {
          @Override
          public void onAdd(T object) {
            store(id, object);
          }

          @Override
          public void onUpdate(T old, T object) {
            store(id, object);
          }

          @Override
          public void onDelete(T object, boolean unknown) {
            if (data.remove(id) != null) {
              onChange.run();
            }
          }
        }));
      }
    }

    private void store(String id, T object) {
      Map<String, V> values = Map.copyOf(extract.apply(object));
      Map<String, V> previous = data.put(id, values);
      if (!values.equals(previous)) {
        onChange.run();
      }
    }

    Optional<Map<String, V>> get(String id) {
      return Optional.ofNullable(data.get(id));
    }

    synchronized void close() {
      informers.values().forEach(SharedIndexInformer::close);
      informers.clear();
    }
  }
}
