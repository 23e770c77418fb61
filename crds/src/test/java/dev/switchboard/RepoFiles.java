package dev.switchboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository checkout that tests compare generated output against. */
public final class RepoFiles {
  /** Set by the build; pass -Dswitchboard.regenerate=true to rewrite generated files instead of failing. */
  public static final boolean REGENERATE = Boolean.getBoolean("switchboard.regenerate");

  private RepoFiles() {}

  public static Path root() {
    String configured = System.getProperty("switchboard.repoRoot");
    Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
    for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("switchboard")) && Files.isDirectory(p.resolve("crds"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository root from " + start);
  }

  public static Path path(String relative) {
    return root().resolve(relative);
  }

  public static String read(String relative) {
    try {
      return Files.readString(path(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Compares a generated file with its committed copy. With -Dswitchboard.regenerate=true the
   * committed copy is rewritten; otherwise a difference is returned as a failure message.
   */
  public static String checkGenerated(String relative, String generated) {
    Path file = path(relative);
    try {
      String committed = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
      if (committed.equals(generated)) {
        return "";
      }
      if (REGENERATE) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, generated, StandardCharsets.UTF_8);
        return "";
      }
      return relative + " differs from what the code generates. Regenerate it with:\n"
          + "  ./switchboard mvn -pl crds test -Dswitchboard.regenerate=true\n"
          + "and commit the result. First difference at line " + firstDifference(committed, generated);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String firstDifference(String a, String b) {
    String[] left = a.split("\n", -1);
    String[] right = b.split("\n", -1);
    for (int i = 0; i < Math.max(left.length, right.length); i++) {
      String l = i < left.length ? left[i] : "<end of file>";
      String r = i < right.length ? right[i] : "<end of file>";
      if (!l.equals(r)) {
        return (i + 1) + ":\n  committed: " + l + "\n  generated: " + r;
      }
    }
    return "?";
  }
}
