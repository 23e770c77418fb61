package dev.switchboard.proxy.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Tool names a provider refuses, mapped to names it accepts and back. Clients name tools as their
 * own world does (MCP's {@code server.tool}, Codex's namespaced {@code agents__spawn}, long
 * generated names); Anthropic allows only {@code ^[a-zA-Z0-9_-]{1,128}$} and Gemini a little more.
 * A refused name becomes its allowed characters, cut to fit, plus eight hex digits of its SHA-256,
 * so the mapping needs no state: the same name maps the same way on every turn and every replica,
 * and never onto a name a client wrote. Answers map back through the names the request offered.
 *
 * @param toUpstream client name to provider name, for the names that needed it
 * @param toClient provider name to client name
 */
public record ToolNames(Map<String, String> toUpstream, Map<String, String> toClient) {
  /** Names that pass as they are. */
  public static final ToolNames IDENTITY = new ToolNames(Map.of(), Map.of());

  /** Anthropic's rule for tool names. */
  public static final Rule ANTHROPIC = new Rule(Pattern.compile("[a-zA-Z0-9_-]{1,128}"), Pattern.compile("[^a-zA-Z0-9_-]"), 128);
  /** Gemini's rule for function names: a letter or underscore first; dots, colons and dashes allowed; 64 at most. */
  public static final Rule GEMINI = new Rule(Pattern.compile("[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}"), Pattern.compile("[^a-zA-Z0-9_.:-]"), 64);

  /** What a provider accepts: the whole pattern, the characters it refuses, and the longest name. */
  public record Rule(Pattern allowed, Pattern refused, int maxLength) {
    boolean accepts(String name) {
      return allowed.matcher(name).matches();
    }

    /** A name this rule accepts, unique to {@code name}. */
    String fit(String name) {
      String suffix = "_" + hash(name);
      String base = refused.matcher(name).replaceAll("_");
      // One character is kept free for a leading underscore, for rules that refuse the first one (Gemini's digits).
      String candidate = base.substring(0, Math.min(base.length(), maxLength - suffix.length() - 1)) + suffix;
      return accepts(candidate) ? candidate : "_" + candidate;
    }
  }

  public ToolNames {
    toUpstream = Map.copyOf(toUpstream);
    toClient = Map.copyOf(toClient);
  }

  /**
   * The mapping for a canonical (OpenAI chat) request: every name its tools, its {@code
   * tool_choice} and its history's tool calls use that {@code rule} refuses.
   */
  public static ToolNames of(JsonNode request, Rule rule) {
    Map<String, String> up = new HashMap<>();
    Map<String, String> down = new HashMap<>();
    for (JsonNode t : request.path("tools")) {
      add(t.path("function").path("name"), rule, up, down);
    }
    add(request.path("tool_choice").path("function").path("name"), rule, up, down);
    for (JsonNode m : request.path("messages")) {
      for (JsonNode call : m.path("tool_calls")) {
        add(call.path("function").path("name"), rule, up, down);
      }
    }
    return up.isEmpty() ? IDENTITY : new ToolNames(up, down);
  }

  private static void add(JsonNode name, Rule rule, Map<String, String> up, Map<String, String> down) {
    if (!name.isTextual() || rule.accepts(name.asText()) || up.containsKey(name.asText())) {
      return;
    }
    String mapped = rule.fit(name.asText());
    up.put(name.asText(), mapped);
    down.put(mapped, name.asText());
  }

  /** Renames, in a canonical request tree, every tool name the provider would refuse. */
  public ObjectNode applyTo(ObjectNode request) {
    if (toUpstream.isEmpty()) {
      return request;
    }
    for (JsonNode t : request.path("tools")) {
      rename(t.path("function"));
    }
    rename(request.path("tool_choice").path("function"));
    for (JsonNode m : request.path("messages")) {
      for (JsonNode call : m.path("tool_calls")) {
        rename(call.path("function"));
      }
    }
    return request;
  }

  private void rename(JsonNode function) {
    if (function instanceof ObjectNode f && f.path("name").isTextual()) {
      f.put("name", upstream(f.get("name").asText()));
    }
  }

  /** The name to send the provider. */
  public String upstream(String name) {
    return toUpstream.getOrDefault(name, name);
  }

  /** The name the client offered, for a name the provider answered with. */
  public String client(String name) {
    return toClient.getOrDefault(name, name);
  }

  private static String hash(String name) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
