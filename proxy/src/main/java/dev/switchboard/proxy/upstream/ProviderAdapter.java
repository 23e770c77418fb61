package dev.switchboard.proxy.upstream;

import dev.switchboard.config.BackendConfig;

/**
 * One provider's wire protocol. An adapter turns an OpenAI chat request into one try against
 * the provider and the answer back into OpenAI's format, classifying every failure. It keeps no
 * per-request state and must be thread-safe.
 */
public interface ProviderAdapter {
  /**
   * Sends one try. For a streamed request the returned stream is positioned before its first
   * event and nothing has reached the client yet.
   *
   * @throws UpstreamException classified for the retry decision
   */
  UpstreamResponse send(UpstreamCall call) throws UpstreamException;

  /**
   * Sends one embeddings try; the answer is an OpenAI embedding list.
   *
   * @throws UpstreamException classified for the retry decision
   */
  default UpstreamResponse embed(UpstreamCall call) throws UpstreamException {
    throw UpstreamException.unsupported("model", "Provider " + call.backend().provider() + " serves no embeddings (backend "
        + call.backend().id() + ").");
  }

  /** Checks that the backend answers and lists its models. Never throws. */
  ProbeResult probe(BackendConfig backend);
}
