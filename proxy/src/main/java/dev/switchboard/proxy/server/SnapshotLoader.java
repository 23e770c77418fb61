package dev.switchboard.proxy.server;

import dev.switchboard.config.RoutingConfig;
import dev.switchboard.config.RoutingConfigJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cluster mode's cold start: serves the config the operator last wrote to the snapshot Secret
 * (mounted as a file), so a proxy starts serving while the operator is down, and follows the
 * file when Kubernetes updates it.
 */
public final class SnapshotLoader implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.proxy");

  private final Path file;
  private final ConfigHolder holder;
  private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "switchboard-snapshot-watcher");
    t.setDaemon(true);
    return t;
  });
  private byte[] last = new byte[0];

  public SnapshotLoader(Path file, ConfigHolder holder) {
    this.file = file;
    this.holder = holder;
  }

  /** The snapshot file as read: its bytes (empty when absent or unreadable) and the config they hold. */
  public record Snapshot(byte[] bytes, Optional<RoutingConfig> config) {}

  /**
   * Reads and parses the file. At startup Main runs this on its own thread while the rest of the
   * proxy is built: parsing the config is about a third of a cold start, and it needs nothing else.
   */
  public static Snapshot read(Path file) {
    return parse(readBytes(file));
  }

  /** Loads the file if it is there and changed since the last load; a bad file is logged and ignored. */
  public void load() {
    byte[] bytes = readBytes(file);
    synchronized (this) {
      if (Arrays.equals(bytes, last)) {
        return; // unchanged (the usual case every interval): not parsed again
      }
    }
    load(parse(bytes));
  }

  /** The file's bytes; empty when it is absent (no snapshot yet: wait for a push) or unreadable (logged). */
  private static byte[] readBytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new byte[0];
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot read snapshot " + file + ": " + e.getClass().getSimpleName());
      return new byte[0];
    }
  }

  private static Snapshot parse(byte[] bytes) {
    if (bytes.length == 0) {
      return new Snapshot(bytes, Optional.empty());
    }
    try {
      return new Snapshot(bytes, Optional.of(RoutingConfigJson.read(gunzipIfNeeded(bytes))));
    } catch (IOException | RuntimeException e) {
      return new Snapshot(bytes, Optional.empty());
    }
  }

  /** Serves a snapshot read earlier, unless it is the one already loaded. */
  public synchronized void load(Snapshot snapshot) {
    if (snapshot.bytes().length == 0 || Arrays.equals(snapshot.bytes(), last)) {
      return;
    }
    last = snapshot.bytes();
    if (snapshot.config().isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, "snapshot " + file + " is not a routing config; waiting for a push");
      return;
    }
    ConfigHolder.Applied applied = holder.apply(snapshot.config().get());
    if (applied.accepted()) {
      LOG.log(System.Logger.Level.INFO, "serving snapshot config " + applied.version() + " from " + file);
    } else {
      LOG.log(System.Logger.Level.WARNING, "snapshot " + file + " refused: " + String.join("; ", applied.problems()));
    }
  }

  /** The operator writes the snapshot gzipped (a Secret holds at most 1 MiB); plain JSON is read too. */
  static byte[] gunzipIfNeeded(byte[] bytes) throws IOException {
    if (bytes.length > 2 && bytes[0] == (byte) 0x1f && bytes[1] == (byte) 0x8b) {
      try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
        return in.readNBytes(256 * 1024 * 1024);
      }
    }
    return bytes;
  }

  public void watch(long intervalMillis) {
    watcher.scheduleWithFixedDelay(this::load, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    watcher.shutdownNow();
  }
}
