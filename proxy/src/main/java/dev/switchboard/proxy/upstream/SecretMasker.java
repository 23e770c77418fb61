package dev.switchboard.proxy.upstream;

import dev.switchboard.config.SecretValue;
import java.util.regex.Pattern;

/**
 * Removes secrets from text that came from a backend (error messages, exception text) before it
 * reaches a client, a log line, a metric or a status: the backend's own key wherever it appears,
 * and anything shaped like an API key or a bearer token.
 */
public final class SecretMasker {
  private static final Pattern KEY_SHAPED = Pattern.compile("\\b(sk|pk|rk|sess|key)-[A-Za-z0-9_\\-]{6,}");
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[^\\s\"',]+");
  private static final Pattern QUERY_KEY = Pattern.compile("(?i)([?&](api[-_]?key|key|token|access_token|sig)=)[^&\\s\"']+");
  private static final Pattern GOOGLE_KEY = Pattern.compile("AIza[0-9A-Za-z_\\-]{20,}");

  private SecretMasker() {}

  public static String mask(String text, SecretValue key) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    String out = text;
    if (!key.isEmpty() && key.reveal().length() >= 4) {
      out = out.replace(key.reveal(), "****");
    }
    out = KEY_SHAPED.matcher(out).replaceAll(m -> m.group(1) + "-****");
    out = BEARER.matcher(out).replaceAll("$1****");
    out = QUERY_KEY.matcher(out).replaceAll("$1****");
    return GOOGLE_KEY.matcher(out).replaceAll("AIza****");
  }
}
