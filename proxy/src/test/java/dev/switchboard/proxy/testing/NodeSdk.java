package dev.switchboard.proxy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the scripts of src/test/node (the official OpenAI SDK, agent frameworks) with Node. They are installed
 * by the project itself, with npm ci from the committed lockfile, into target/node.
 */
public final class NodeSdk {
  private NodeSdk() {}

  /** What the script printed, one JSON line per check, and how it exited. */
  public record Run(int exitCode, List<String> lines, String stderr) {}

  public static synchronized Path install() throws IOException, InterruptedException {
    Path source = Path.of("src/test/node").toAbsolutePath();
    Path target = Path.of("target/node").toAbsolutePath();
    Files.createDirectories(target);
    try (var files = Files.list(source)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".mjs") || f.getFileName().toString().startsWith("package")).toList()) {
        Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (!Files.isDirectory(target.resolve("node_modules/openai")) || !Files.isDirectory(target.resolve("node_modules/@openai/agents"))
        || !Files.isDirectory(target.resolve("node_modules/@ai-sdk/openai-compatible"))
        || !Files.isDirectory(target.resolve("node_modules/@anthropic-ai/sdk"))) {
      Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
          .directory(target.toFile()).redirectErrorStream(true).start();
      String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
        throw new IllegalStateException("npm ci failed in " + target + ":\n" + out);
      }
    }
    return target;
  }

  public static Run run(Map<String, String> env) throws IOException, InterruptedException {
    return run("conformance.mjs", env);
  }

  /** Runs one of the scripts in src/test/node, with no proxy settings that could send it off loopback. */
  public static Run run(String script, Map<String, String> env) throws IOException, InterruptedException {
    Path dir = install();
    ProcessBuilder pb = new ProcessBuilder("node", script).directory(dir.toFile());
    for (String proxyVariable : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY")) {
      pb.environment().remove(proxyVariable);
    }
    pb.environment().put("OPENAI_AGENTS_DISABLE_TRACING", "1");
    pb.environment().putAll(env);
    Process node = pb.start();
    byte[] err = node.getErrorStream().readAllBytes();
    List<String> lines = new ArrayList<>(new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList());
    if (!node.waitFor(2, TimeUnit.MINUTES)) {
      node.destroyForcibly();
      throw new IllegalStateException("the SDK script did not finish");
    }
    return new Run(node.exitValue(), lines, new String(err, StandardCharsets.UTF_8));
  }
}
