package dev.switchboard.manifest;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Expands {@code ${NAME}} and {@code ${NAME:-fallback}} in local-mode Secret values, so a
 * manifest can take an API key from the shell instead of holding it; {@code $${} is a literal
 * {@code ${}. Errors name the variable, never the value.
 */
final class EnvironmentExpansion {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Function<String, Optional<String>> environment;

  EnvironmentExpansion(Function<String, Optional<String>> environment) {
    this.environment = environment;
  }

  /** @throws IllegalArgumentException with a message safe to show, when a reference cannot be expanded */
  String expand(String text) {
    if (!text.contains("${")) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
        continue;
      }
      if (!text.startsWith("${", i)) {
        out.append(text.charAt(i++));
        continue;
      }
      int end = text.indexOf('}', i + 2);
      if (end < 0) {
        throw new IllegalArgumentException("has a '${' without a closing '}' (write $${ for a literal ${)");
      }
      String reference = text.substring(i + 2, end);
      int fallbackAt = reference.indexOf(":-");
      String name = fallbackAt < 0 ? reference : reference.substring(0, fallbackAt);
      if (!NAME.matcher(name).matches()) {
        // The text between the braces may be the secret itself (a value that merely contains "${"),
        // so it is never repeated.
        throw new IllegalArgumentException("has a '${...}' whose content is not an environment variable name"
            + " (letters, digits and _; write $${ for a literal ${)");
      }
      Optional<String> value = environment.apply(name).filter(v -> !v.isEmpty());
      if (value.isPresent()) {
        out.append(value.get());
      } else if (fallbackAt >= 0) {
        out.append(reference.substring(fallbackAt + 2));
      } else {
        throw new IllegalArgumentException("refers to environment variable " + name + ", which is not set");
      }
      i = end + 1;
    }
    return out.toString();
  }
}
