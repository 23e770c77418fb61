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
 * The coding agents of src/test/coding-agents (Claude Code, Codex), installed by the project itself with
 * npm ci from the committed lockfile into target/coding-agents, once per build, and run
 * unmodified against loopback: a temporary HOME, their non-essential traffic off, no proxy
 * variables that could send them elsewhere.
 */
public final class CodingAgents {
  private CodingAgents() {}

  /** How one agent run ended. */
  public record Run(int exitCode, String stdout, String stderr) {}

  public static synchronized Path install() throws IOException, InterruptedException {
    Path source = Path.of("src/test/coding-agents").toAbsolutePath();
    Path target = Path.of("target/coding-agents").toAbsolutePath();
    Files.createDirectories(target);
    for (String file : List.of("package.json", "package-lock.json")) {
      Files.copy(source.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isExecutable(target.resolve("node_modules/.bin/claude")) || !Files.isExecutable(target.resolve("node_modules/.bin/codex"))) {
      Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
          .directory(target.toFile()).redirectErrorStream(true).start();
      String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
        throw new IllegalStateException("npm ci failed in " + target + ":\n" + out);
      }
    }
    return target;
  }

  /**
   * {@code claude -p PROMPT --model MODEL} in {@code workDir} against a proxy at {@code baseUrl}.
   * As root Claude Code refuses to skip permissions, so the one tool the task needs is allowed by name;
   * it retries little, so a failing gateway fails the run quickly.
   */
  public static Run claude(String baseUrl, String apiKey, String model, String prompt, Path workDir, String... allowedTools)
      throws IOException, InterruptedException {
    Path bin = install().resolve("node_modules/.bin/claude");
    Path home = Files.createTempDirectory("claude-home");
    List<String> command = new ArrayList<>(List.of(bin.toString(), "-p", prompt, "--model", model, "--output-format", "json"));
    if (allowedTools.length > 0) {
      command.add("--allowedTools");
      command.add(String.join(",", allowedTools));
    }
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Map<String, String> env = pb.environment();
    for (String proxyVariable : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "ANTHROPIC_AUTH_TOKEN")) {
      env.remove(proxyVariable);
    }
    env.put("HOME", home.toString());
    env.put("ANTHROPIC_BASE_URL", baseUrl);
    env.put("ANTHROPIC_API_KEY", apiKey);
    env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
    env.put("DISABLE_AUTOUPDATER", "1");
    env.put("CLAUDE_CODE_MAX_RETRIES", "0");
    return finish(pb.start(), "claude");
  }

  /**
   * {@code codex exec PROMPT} in {@code workDir} against a proxy at {@code baseUrl} (ending in /v1), through a
   * Responses provider in a temporary CODEX_HOME. Approvals and the sandbox are off (the sandbox needs
   * namespaces a container may not give), plugins are off (their sync calls GitHub), and retries are off,
   * so a failing gateway fails the run at once.
   */
  public static Run codex(String baseUrl, String apiKey, String model, String prompt, Path workDir)
      throws IOException, InterruptedException {
    Path bin = install().resolve("node_modules/.bin/codex");
    Path home = Files.createTempDirectory("codex-home");
    Path codexHome = Files.createDirectories(home.resolve("codex"));
    Files.writeString(codexHome.resolve("config.toml"), """
        model = "%s"
        model_provider = "switchboard"
        check_for_update_on_startup = false

        [features]
        plugins = false

        [analytics]
        enabled = false

        [model_providers.switchboard]
        name = "Switchboard"
        base_url = "%s"
        env_key = "SWITCHBOARD_API_KEY"
        wire_api = "responses"
        request_max_retries = 0
        stream_max_retries = 0
        """.formatted(model, baseUrl));
    List<String> command = List.of(bin.toString(), "exec", "--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox",
        prompt);
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Map<String, String> env = pb.environment();
    for (String variable : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "OPENAI_API_KEY",
        "OPENAI_BASE_URL")) {
      env.remove(variable);
    }
    env.put("HOME", home.toString());
    env.put("CODEX_HOME", codexHome.toString());
    env.put("SWITCHBOARD_API_KEY", apiKey);
    return finish(pb.start(), "codex");
  }

  private static Run finish(Process p, String name) throws IOException, InterruptedException {
    Path err = Files.createTempFile(name, ".err");
    // stderr to a file: a full pipe must not stall the agent while stdout is read
    Thread drain = Thread.ofVirtual().start(() -> {
      try {
        Files.write(err, p.getErrorStream().readAllBytes());
      } catch (IOException ignored) {
        // the run's exit code still tells
      }
    });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(name + " did not finish in 3 minutes");
    }
    drain.join(10_000);
    return new Run(p.exitValue(), out, Files.readString(err));
  }
}
