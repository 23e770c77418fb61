package dev.switchboard.proxy.local;

import dev.switchboard.compiler.Compilation;
import dev.switchboard.compiler.ConfigCompiler;
import dev.switchboard.compiler.Problem;
import dev.switchboard.config.RouteConfig;
import dev.switchboard.config.TargetConfig;
import dev.switchboard.manifest.ManifestReader;
import dev.switchboard.manifest.ManifestSet;
import dev.switchboard.proxy.server.ConfigHolder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Loads manifests into the config holder and keeps them in sync with the files. At start the
 * valid part is served and every problem printed. On an edit, the new files are served unless
 * they bring a problem the served ones did not have: then the last good config stays and the
 * problems are printed.
 */
public final class LocalMode implements AutoCloseable {
  /** What one load did. */
  public record Load(boolean applied, String version, List<String> problems, List<String> newProblems) {}

  private final Path manifests;
  private final ManifestReader reader;
  private final ConfigCompiler compiler;
  private final ConfigHolder holder;
  private final PrintStream out;
  private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "switchboard-manifest-watcher");
    t.setDaemon(true);
    return t;
  });
  private Set<String> servedProblems = Set.of();
  private String fingerprint = "";

  public LocalMode(Path manifests, ManifestReader reader, ConfigCompiler compiler, ConfigHolder holder, PrintStream out) {
    this.manifests = manifests;
    this.reader = reader;
    this.compiler = compiler;
    this.holder = holder;
    this.out = out;
  }

  /** The first load: serves whatever compiles and prints routes and problems. */
  public synchronized Load start() {
    fingerprint = FileFingerprint.of(manifests);
    Compiled compiled = compile();
    ConfigHolder.Applied applied = holder.apply(compiled.compilation().config());
    servedProblems = new LinkedHashSet<>(compiled.problems());
    out.println("Switchboard local mode: " + manifests + " (config " + applied.version() + ")");
    printRoutes(compiled.compilation());
    printProblems("problems", compiled.problems());
    return new Load(applied.accepted(), applied.version(), compiled.problems(), compiled.problems());
  }

  /** Polls the files and reloads on change. */
  public void watch(Duration interval) {
    watcher.scheduleWithFixedDelay(this::reloadIfChanged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  synchronized void reloadIfChanged() {
    String now = FileFingerprint.of(manifests);
    if (!now.equals(fingerprint)) {
      fingerprint = now;
      reload();
    }
  }

  /** Reads and compiles the files again; applies them unless they add a problem. */
  public synchronized Load reload() {
    Compiled compiled = compile();
    List<String> added = new ArrayList<>();
    for (String p : compiled.problems()) {
      if (!servedProblems.contains(p)) {
        added.add(p);
      }
    }
    String served = holder.current().map(c -> c.version()).orElse("none");
    if (!added.isEmpty()) {
      out.println("Reload refused: the edit brings " + added.size() + (added.size() == 1 ? " problem" : " problems")
          + "; still serving config " + served + ".");
      printProblems("new problems", added);
      return new Load(false, served, compiled.problems(), added);
    }
    int routesBefore = holder.current().map(c -> c.config().routes().size()).orElse(0);
    ConfigHolder.Applied applied = holder.apply(compiled.compilation().config());
    if (!applied.accepted()) {
      out.println("Reload refused: " + String.join("; ", applied.problems()));
      return new Load(false, served, applied.problems(), applied.problems());
    }
    servedProblems = new LinkedHashSet<>(compiled.problems());
    if (applied.changed()) {
      int routesNow = compiled.compilation().config().routes().size();
      String gone = routesNow < routesBefore ? " (" + (routesBefore - routesNow) + " fewer than before)" : "";
      out.println("Reloaded " + manifests + ": config " + applied.version() + ", " + routesNow + " routes" + gone + ".");
      printRoutes(compiled.compilation());
    }
    return new Load(true, applied.version(), compiled.problems(), List.of());
  }

  private record Compiled(Compilation compilation, List<String> problems) {}

  private Compiled compile() {
    ManifestSet set = reader.read(manifests);
    Compilation compilation = compiler.compile(set.backends(), set.routes(), set.clientKeys(), set.secretLookup());
    List<String> problems = new ArrayList<>();
    set.problems().forEach(p -> problems.add(p.toString()));
    for (Problem p : compilation.problems()) {
      String where = set.origin(p.resource()).map(o -> o + " (" + p.resource() + ")").orElse(p.resource().toString());
      problems.add(where + ": " + p.detail());
    }
    return new Compiled(compilation, problems);
  }

  private void printRoutes(Compilation compilation) {
    if (compilation.config().routes().isEmpty()) {
      out.println("  no routes are served");
    }
    for (RouteConfig r : compilation.config().routes()) {
      StringBuilder line = new StringBuilder("  ").append(r.model());
      if (!r.aliases().isEmpty()) {
        line.append(" (aliases: ").append(String.join(", ", r.aliases())).append(')');
      }
      line.append(" -> ").append(r.strategy()).append(": ");
      List<String> targets = new ArrayList<>();
      for (TargetConfig t : r.targets()) {
        targets.add(t.backend() + " model " + t.upstreamModel()
            + (r.targets().size() > 1 ? " [priority " + t.priority() + ", weight " + t.weight() + "]" : ""));
      }
      out.println(line.append(String.join(", ", targets)));
    }
  }

  private void printProblems(String title, List<String> problems) {
    if (problems.isEmpty()) {
      out.println("  " + title + ": none");
      return;
    }
    out.println("  " + title + ":");
    problems.forEach(p -> out.println("    ! " + p));
  }

  @Override
  public void close() {
    watcher.shutdownNow();
  }
}
