package dev.switchboard.proxy.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * A cheap summary of a file or folder of manifests (names, sizes, modification times), compared
 * between polls to notice edits. Polling works the same on every filesystem, mounted volumes
 * and editors that save by renaming included.
 */
final class FileFingerprint {
  private FileFingerprint() {}

  static String of(Path path) {
    StringBuilder out = new StringBuilder();
    try (Stream<Path> files = Files.isDirectory(path) ? Files.walk(path) : Stream.of(path)) {
      files.filter(p -> {
        String name = p.getFileName().toString();
        return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
      }).sorted().forEach(p -> {
        try {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          out.append(p).append('|').append(a.size()).append('|').append(a.lastModifiedTime().toMillis()).append('\n');
        } catch (IOException e) {
          out.append(p).append("|gone\n");
        }
      });
    } catch (IOException | UncheckedIOException e) {
      return "unreadable";
    }
    return out.toString();
  }
}
