package dev.switchboard.proxy.exchange;

/**
 * The wire format an answer is in when it leaves an adapter: the canonical chat shape, which
 * every surface encodes from, or a backend's own format passed through to a surface that speaks it.
 */
public enum Dialect {
  /** OpenAI chat completions: the canonical shape of answers and stream chunks. */
  CANONICAL,
  /** Anthropic Messages, passed through untouched to the Anthropic surface. */
  ANTHROPIC_MESSAGES,
  /** The OpenAI Responses API, passed through untouched to the Responses surface. */
  OPENAI_RESPONSES
}
