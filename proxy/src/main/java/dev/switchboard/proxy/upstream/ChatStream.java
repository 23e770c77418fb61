package dev.switchboard.proxy.upstream;

/**
 * An answer being streamed, already in OpenAI's chunk format. Nothing has been sent to the
 * client when it is returned, so a failure on the first {@link #next()} may still be retried.
 */
public non-sealed interface ChatStream extends UpstreamResponse, AutoCloseable {
  /**
   * The next event, a complete {@code data: {chunk}} server-sent event ending in a blank line,
   * valid until the following call; null once the upstream stream is complete.
   *
   * @throws UpstreamException when the stream breaks, goes silent too long, or carries an error
   */
  ByteSlice next() throws UpstreamException;

  /** The format of the events: canonical chunks, or a backend's own events passed through. */
  default dev.switchboard.proxy.exchange.Dialect dialect() {
    return dev.switchboard.proxy.exchange.Dialect.CANONICAL;
  }

  /** The usage reported so far (final once {@link #next()} returned null). */
  Usage usage();

  /** Releases the upstream connection, aborting the exchange if it is not complete. */
  @Override
  void close();
}
