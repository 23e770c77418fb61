package dev.switchboard.proxy.error;

import dev.switchboard.config.SecretValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The one function every error text passes through before it leaves the proxy (to a client, a
 * log line, a metric, a status or a probe result): every secret the process knows (each
 * backend's configured key, the admin token) is replaced wherever it appears, then anything
 * shaped like an API key or a bearer token, and only then is the text cut to its limit, so a cut
 * can never leave the first characters of a key behind. Client keys are held only as hashes, so
 * they are caught by shape.
 */
public final class SecretMasker {
  /** The longest error message that leaves the proxy, after masking. */
  public static final int MAX_MESSAGE = 2000;
  /** The longest short field (an error's type, code or param). */
  public static final int MAX_FIELD = 128;

  private static final Pattern KEY_SHAPED = Pattern.compile("\\b(sk|pk|rk|sess|key|xai|gsk|hf)[-_][A-Za-z0-9_\\-]{6,}");
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[^\\s\"',]+");
  private static final Pattern QUERY_KEY = Pattern.compile("(?i)([?&](api[-_]?key|key|token|access_token|sig)=)[^&\\s\"']+");
  private static final Pattern GOOGLE_KEY = Pattern.compile("AIza[0-9A-Za-z_\\-]{20,}");
  private static final Pattern HEADER_KEY = Pattern.compile(
      "(?i)((?:x-api-key|api-key|authorization)\\s*[:=]\\s*)(?!bearer\\s)[^\\s\"',]+");
  private static final Pattern SPACE = Pattern.compile("\\s+");

  // Secrets shorter than this are not matched by value: masking every "abc" would garble text.
  private static final int MIN_KNOWN = 6;
  private static final Map<String, List<String>> KNOWN = new ConcurrentHashMap<>();

  private SecretMasker() {}

  /**
   * Declares the secrets one source (a config holder, the admin settings) currently holds; a
   * later call for the same source replaces them.
   */
  public static void register(String source, Collection<SecretValue> secrets) {
    List<String> values = new ArrayList<>();
    for (SecretValue s : secrets) {
      if (!s.isEmpty() && s.reveal().length() >= MIN_KNOWN) {
        values.add(s.reveal());
      }
    }
    // Longest first, so a key that contains another is replaced whole.
    values.sort((a, b) -> b.length() - a.length());
    KNOWN.put(source, List.copyOf(values));
  }

  public static void unregister(String source) {
    KNOWN.remove(source);
  }

  /** Masks {@code key} and every known and key-shaped secret; does not shorten. */
  public static String mask(String text, SecretValue key) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    String out = text;
    if (!key.isEmpty() && key.reveal().length() >= 4) {
      out = out.replace(key.reveal(), "****");
    }
    return mask(out);
  }

  /** Masks every known and key-shaped secret; does not shorten. */
  public static String mask(String text) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    String out = text;
    for (List<String> secrets : KNOWN.values()) {
      for (String secret : secrets) {
        if (out.contains(secret)) {
          out = out.replace(secret, "****");
        }
      }
    }
    out = KEY_SHAPED.matcher(out).replaceAll(m -> m.group(1) + "-****");
    out = BEARER.matcher(out).replaceAll("$1****");
    out = HEADER_KEY.matcher(out).replaceAll("$1****");
    out = QUERY_KEY.matcher(out).replaceAll("$1****");
    return GOOGLE_KEY.matcher(out).replaceAll("AIza****");
  }

  /**
   * An error text fit to leave the proxy: masked, on one line, and at most {@code max}
   * characters. The whole text is masked before it is cut (every input is already bounded where
   * it is read, so this stays cheap).
   */
  public static String clean(String text, int max) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    String masked = mask(text);
    String oneLine = SPACE.matcher(masked).replaceAll(" ").trim();
    return Quote.cut(oneLine, max);
  }

  /** {@link #clean(String, int)} with the message limit. */
  public static String clean(String text) {
    return clean(text, MAX_MESSAGE);
  }
}
