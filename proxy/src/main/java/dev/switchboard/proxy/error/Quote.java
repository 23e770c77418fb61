package dev.switchboard.proxy.error;

/**
 * How much of a client's or an upstream's input a message may repeat. Messages name what was
 * wrong ("Invalid 'temperature': ... got 1e999999999") but quote at most a short prefix, so an
 * input of any size yields a message of bounded size.
 */
public final class Quote {
  /** The longest piece of input a message repeats. */
  public static final int MAX_QUOTE = 64;

  private Quote() {}

  /** At most {@link #MAX_QUOTE} characters of {@code input}, saying how long it was when cut. */
  public static String of(String input) {
    if (input == null) {
      return "";
    }
    if (input.length() <= MAX_QUOTE) {
      return input;
    }
    return input.substring(0, safeEnd(input, MAX_QUOTE - 3)) + "... (" + input.length() + " characters)";
  }

  /** {@code text} cut to at most {@code max} characters, marked with an ellipsis when cut. */
  public static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    return text.substring(0, safeEnd(text, max - 3)) + "...";
  }

  // Never split a surrogate pair: half of one is not valid UTF-16 and encodes as '?'.
  private static int safeEnd(String text, int end) {
    return end > 0 && Character.isHighSurrogate(text.charAt(end - 1)) ? end - 1 : end;
  }
}
