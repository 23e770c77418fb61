package dev.switchboard.proxy.upstream;

import dev.switchboard.proxy.exchange.Dialect;

/**
 * A whole non-streamed answer: an OpenAI {@code chat.completion} object, or a backend's own
 * answer passed through when the client speaks the backend's dialect.
 */
public record Completion(byte[] body, Usage usage, Dialect dialect) implements UpstreamResponse {
  public Completion(byte[] body, Usage usage) {
    this(body, usage, Dialect.CANONICAL);
  }
}
