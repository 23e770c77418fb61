package dev.switchboard.operator.publish;

import dev.switchboard.config.RoutingConfig;
import dev.switchboard.config.RoutingConfigJson;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/**
 * Keeps the current config in a Secret that proxy pods mount for {@code --snapshot}, so a proxy
 * that starts while the operator is down still serves. The JSON is gzipped: a Secret holds at most
 * 1 MiB, and a config for thousands of routes is bigger than that uncompressed.
 */
public final class SnapshotWriter {
  public static final String KEY = "config.json.gz";
  public static final String VERSION_ANNOTATION = "switchboard.dev/config-version";
  private static final int MAX_SECRET_BYTES = 1024 * 1024 - 4096;
  private static final System.Logger LOG = System.getLogger("dev.switchboard.operator");

  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  public SnapshotWriter(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  /** Writes the snapshot; returns false (and logs why) when it could not. */
  public boolean write(RoutingConfig config) {
    byte[] gzipped = gzip(RoutingConfigJson.write(config));
    if (gzipped.length > MAX_SECRET_BYTES) {
      LOG.log(System.Logger.Level.ERROR, "config " + config.version() + " is " + gzipped.length
          + " bytes gzipped, too big for the snapshot Secret; proxies that restart will wait for a push");
      return false;
    }
    Secret secret = new SecretBuilder()
        .withNewMetadata()
          .withName(name)
          .withNamespace(namespace)
          .addToLabels("app.kubernetes.io/managed-by", "switchboard-operator")
          .addToLabels("app.kubernetes.io/part-of", "switchboard")
          .addToAnnotations(VERSION_ANNOTATION, config.version())
        .endMetadata()
        .withType("Opaque")
        .addToData(KEY, Base64.getEncoder().encodeToString(gzipped))
        .build();
    try {
      var existing = client.secrets().inNamespace(namespace).withName(name);
      if (existing.get() == null) {
        existing.create(secret);
      } else {
        existing.patch(PatchContext.of(PatchType.JSON_MERGE), secret);
      }
      return true;
    } catch (KubernetesClientException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot write snapshot Secret " + namespace + "/" + name + ": HTTP " + e.getCode());
      return false;
    }
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
