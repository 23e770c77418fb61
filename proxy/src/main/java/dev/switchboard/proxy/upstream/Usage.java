package dev.switchboard.proxy.upstream;

/** Token counts of one answer; zeros when the provider reported none. */
public record Usage(long promptTokens, long completionTokens, long reasoningTokens) {
  public static final Usage NONE = new Usage(0, 0, 0);

  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  public boolean isEmpty() {
    return promptTokens == 0 && completionTokens == 0;
  }
}
