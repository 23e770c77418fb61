package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A one-line description of the machine and software versions, for reports. */
final class Machine {
  private Machine() {}

  static String describe() {
    String cpu = "unknown CPU";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
    } catch (IOException e) {
      // not Linux
    }
    long memGib = 0;
    try {
      memGib = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
          .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024).orElse(0L);
    } catch (IOException e) {
      // not Linux
    }
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memGib + " GiB, Java "
        + Runtime.version() + ", " + wrkVersion();
  }

  static String nodeVersion() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      p.waitFor();
      return out;
    } catch (IOException | InterruptedException e) {
      return "(unknown version)";
    }
  }

  /** {@code nginx -v} prints to standard error, for example "nginx version: nginx/1.22.1". */
  static String nginxVersion() {
    try {
      Process p = new ProcessBuilder("/usr/sbin/nginx", "-v").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      p.waitFor();
      int slash = out.lastIndexOf('/');
      return slash >= 0 ? out.substring(slash + 1) : out;
    } catch (IOException | InterruptedException e) {
      return "(unknown version)";
    }
  }

  private static String wrkVersion() {
    try {
      Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("wrk");
      p.waitFor();
      return out.replaceAll(" Copyright.*", "");
    } catch (IOException | InterruptedException e) {
      return "wrk";
    }
  }
}
