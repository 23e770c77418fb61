package dev.switchboard.proxy.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.proxy.upstream.UpstreamException;
import dev.switchboard.proxy.upstream.Usage;
import java.util.List;

/**
 * Turns one provider's stream events into OpenAI chunks. Stateful per answer (tool call indexes,
 * usage so far), pure otherwise: no I/O.
 */
public interface StreamTranslator {
  /**
   * Translates one event. {@code event} is the SSE event name (empty for NDJSON lines and unnamed
   * events); OpenAI chunk JSON is appended to {@code out}.
   *
   * @throws UpstreamException for an error the provider sent in the stream
   */
  void onEvent(String event, JsonNode data, List<String> out) throws UpstreamException;

  /** The provider's bytes ended: append the last chunks, or throw if the answer was incomplete. */
  void onEnd(List<String> out) throws UpstreamException;

  /** Whether the provider has said the answer is over (nothing more needs reading). */
  boolean complete();

  Usage usage();
}
