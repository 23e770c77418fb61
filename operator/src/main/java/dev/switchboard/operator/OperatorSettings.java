package dev.switchboard.operator;

import dev.switchboard.config.SecretValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The operator's settings, from the environment (the chart sets them).
 *
 * @param namespace the operator's own namespace (its lease lives there)
 * @param watchNamespaces namespaces of ChatBackends and ModelRoutes; empty means all
 * @param proxyNamespace where the proxy pods and the snapshot Secret live
 * @param clientKeysSecret {@code namespace/name} of a Secret whose values are client API keys
 * @param requireClientKey whether the proxies' public API refuses requests without a known key, even when no key exists
 * @param usageInterval how often at most a ClientKey's status is rewritten with new usage
 */
public record OperatorSettings(
    String namespace,
    Set<String> watchNamespaces,
    Map<String, String> proxySelector,
    String proxyNamespace,
    SecretValue adminToken,
    String snapshotSecret,
    Optional<String> clientKeysSecret,
    boolean leaderElection,
    String leaseName,
    String identity,
    int httpPort,
    Duration statusInterval,
    Duration debounce,
    LeaseTimings lease,
    boolean requireClientKey,
    Duration usageInterval) {

  /** How long a lease lasts, how long the leader has to renew it, and how often others try for it. */
  public record LeaseTimings(Duration duration, Duration renewDeadline, Duration retryPeriod) {
    public static final LeaseTimings DEFAULTS = new LeaseTimings(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  public static final String DEFAULT_SELECTOR = "app.kubernetes.io/name=switchboard,app.kubernetes.io/component=proxy";

  /** A setting that cannot be used; the message says which and why. */
  public static final class InvalidSettingException extends RuntimeException {
    public InvalidSettingException(String message) {
      super(message);
    }
  }

  public static OperatorSettings fromEnvironment(Function<String, String> env, String clientNamespace) {
    String own = Optional.ofNullable(env.apply("POD_NAMESPACE")).filter(s -> !s.isBlank()).orElseGet(() -> serviceAccountNamespace()
        .orElse(clientNamespace == null ? "default" : clientNamespace));
    String proxyNamespace = value(env, "SWITCHBOARD_PROXY_NAMESPACE", own);
    String token = value(env, "SWITCHBOARD_ADMIN_TOKEN", "");
    if (token.isBlank()) {
      throw new InvalidSettingException("SWITCHBOARD_ADMIN_TOKEN is not set: the operator needs the token the proxies accept on /admin");
    }
    Set<String> namespaces = Arrays.stream(value(env, "SWITCHBOARD_WATCH_NAMESPACES", "").split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    Optional<String> clientKeys = Optional.ofNullable(env.apply("SWITCHBOARD_CLIENT_KEYS_SECRET")).map(String::strip)
        .filter(s -> !s.isEmpty()).map(s -> s.contains("/") ? s : proxyNamespace + "/" + s);
    String identity = value(env, "POD_NAME", Optional.ofNullable(env.apply("HOSTNAME")).orElse("switchboard-operator"));
    return new OperatorSettings(
        own,
        namespaces,
        selector(value(env, "SWITCHBOARD_PROXY_SELECTOR", DEFAULT_SELECTOR)),
        proxyNamespace,
        SecretValue.of(token.strip()),
        value(env, "SWITCHBOARD_SNAPSHOT_SECRET", "switchboard-routing-snapshot"),
        clientKeys,
        Boolean.parseBoolean(value(env, "SWITCHBOARD_LEADER_ELECTION", "false")),
        value(env, "SWITCHBOARD_LEASE_NAME", "switchboard-operator"),
        identity,
        integer(env, "SWITCHBOARD_OPERATOR_PORT", 8081),
        duration(env, "SWITCHBOARD_STATUS_INTERVAL", Duration.ofSeconds(5)),
        duration(env, "SWITCHBOARD_COMPILE_DEBOUNCE", Duration.ofMillis(250)),
        LeaseTimings.DEFAULTS,
        bool(env, "SWITCHBOARD_REQUIRE_CLIENT_KEY"),
        duration(env, "SWITCHBOARD_USAGE_INTERVAL", Duration.ofSeconds(30)));
  }

  private static boolean bool(Function<String, String> env, String name) {
    String v = value(env, name, "false");
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw new InvalidSettingException(name + " must be true or false, not '" + v + "'");
    }
    return Boolean.parseBoolean(v);
  }

  /** Parses {@code a=b,c=d} into a label map. */
  static Map<String, String> selector(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0 || p.contains("!=") || p.indexOf('=', eq + 1) >= 0) {
        throw new InvalidSettingException("SWITCHBOARD_PROXY_SELECTOR must be label=value pairs separated by commas, not '" + text + "'");
      }
      out.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
    }
    if (out.isEmpty()) {
      throw new InvalidSettingException("SWITCHBOARD_PROXY_SELECTOR must not be empty: it would select every pod");
    }
    return out;
  }

  private static String value(Function<String, String> env, String name, String fallback) {
    String v = env.apply(name);
    return v == null || v.isBlank() ? fallback : v.strip();
  }

  private static int integer(Function<String, String> env, String name, int fallback) {
    String v = value(env, name, Integer.toString(fallback));
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(name + " must be a number, not '" + v + "'");
    }
  }

  private static Duration duration(Function<String, String> env, String name, Duration fallback) {
    String v = env.apply(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    if (!dev.switchboard.config.Durations.isValid(v.strip())) {
      throw new InvalidSettingException(name + " must be a duration such as 500ms or 5s, not '" + v + "'");
    }
    return dev.switchboard.config.Durations.parse(v.strip());
  }

  private static Optional<String> serviceAccountNamespace() {
    try {
      return Optional.of(Files.readString(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace")).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
