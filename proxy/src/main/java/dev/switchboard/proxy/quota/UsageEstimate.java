package dev.switchboard.proxy.quota;

import dev.switchboard.proxy.request.EmbeddingRequest;
import dev.switchboard.proxy.request.ParsedRequest;
import dev.switchboard.proxy.upstream.Usage;

/**
 * The usage counted for an answer whose provider reported none: a server that ignores {@code
 * stream_options}, or a stream cut before its usage came (the client left, the upstream broke).
 * Limits, budgets and metrics then count an estimate rather than nothing, so that leaving early
 * is not free: the prompt at a quarter of the request body's bytes (as {@link TokenReservation}
 * reserves it), and the answer at one token per streamed event (providers stream about one token,
 * or a few, per chunk) or a quarter of a whole answer's bytes. Embeddings count only their input.
 * Reported usage is always used as it is.
 */
public final class UsageEstimate {
  private UsageEstimate() {}

  /** A streamed answer's usage after {@code events} events. */
  public static Usage ofStream(Usage reported, ParsedRequest request, long events) {
    return reported.isEmpty() && events > 0 ? new Usage(prompt(request), events, 0) : reported;
  }

  /** A whole answer's usage from its body of {@code answerBytes}. */
  public static Usage ofCompletion(Usage reported, ParsedRequest request, long answerBytes) {
    if (!reported.isEmpty()) {
      return reported;
    }
    return new Usage(prompt(request), request instanceof EmbeddingRequest ? 0 : (answerBytes + 3) / 4, 0);
  }

  private static long prompt(ParsedRequest request) {
    return (request.body().length + 3L) / 4;
  }
}
