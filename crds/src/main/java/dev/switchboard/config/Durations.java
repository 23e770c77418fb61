package dev.switchboard.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints Go-style durations ({@code 500ms}, {@code 30s}, {@code 1m30s}, {@code 1.5h}) as Kubernetes uses them. */
public final class Durations {
  private static final Pattern WHOLE = Pattern.compile("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$");
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

  private Durations() {}

  public static boolean isValid(String text) {
    return text != null && WHOLE.matcher(text).matches();
  }

  /** @throws IllegalArgumentException when the text is not a duration */
  public static Duration parse(String text) {
    if (!isValid(text)) {
      throw new IllegalArgumentException("'" + text + "' is not a duration such as 500ms, 30s, 1m30s or 2h");
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      BigDecimal amount = new BigDecimal(m.group(1));
      long unit = switch (m.group(2)) {
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      nanos = nanos.add(amount.multiply(BigDecimal.valueOf(unit)));
    }
    return Duration.ofNanos(nanos.longValueExact());
  }

  /** The duration given, or the default when the text is null. */
  public static Duration parseOr(String text, Duration fallback) {
    return text == null ? fallback : parse(text);
  }

  /** Prints a duration the short way, for messages: {@code 1m30s}, {@code 250ms}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long hours = d.toHours();
    int minutes = d.toMinutesPart();
    int seconds = d.toSecondsPart();
    int millis = d.toMillisPart();
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (minutes > 0) {
      out.append(minutes).append('m');
    }
    if (seconds > 0) {
      out.append(seconds).append('s');
    }
    if (millis > 0) {
      out.append(millis).append("ms");
    }
    return out.toString();
  }
}
