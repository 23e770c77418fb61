package dev.switchboard.proxy.upstream;

/**
 * Token counts of one answer, as OpenAI counts them; zeros when the provider reported none.
 *
 * @param promptTokens all input tokens, cached ones included
 * @param completionTokens all output tokens, reasoning included
 * @param reasoningTokens the output tokens spent on reasoning
 * @param cachedTokens the input tokens read from the provider's prompt cache
 */
public record Usage(long promptTokens, long completionTokens, long reasoningTokens, long cachedTokens) {
  public static final Usage NONE = new Usage(0, 0, 0, 0);

  public Usage(long promptTokens, long completionTokens, long reasoningTokens) {
    this(promptTokens, completionTokens, reasoningTokens, 0);
  }

  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  public boolean isEmpty() {
    return promptTokens == 0 && completionTokens == 0;
  }

  /** The cost in US dollars at these prices per million tokens; cached input at its own price when it has one. */
  public double costUsd(double input, double output, double cachedInput) {
    long cached = Math.min(cachedTokens, promptTokens);
    double cachedPrice = cachedInput > 0 ? cachedInput : input;
    return ((promptTokens - cached) * input + cached * cachedPrice + completionTokens * output) / 1e6;
  }
}
