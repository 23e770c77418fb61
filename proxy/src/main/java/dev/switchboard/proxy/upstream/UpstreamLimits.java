package dev.switchboard.proxy.upstream;

import java.time.Duration;

/**
 * How much an upstream may make the proxy hold or wait for. Each is a documented limit
 * (docs/proxy.md, "Limits and the memory budget"); reaching one is a 502 for the client (or an
 * error event in a stream already started), never an exhausted heap.
 *
 * @param maxAnswerBytes a whole (not streamed) answer
 * @param maxErrorBytes an error answer; the rest is not read
 * @param maxEventBytes one stream event (an SSE event or an NDJSON line)
 * @param maxHeaderBytes the response head (status line and headers)
 * @param maxStreamBytes everything one stream may send
 * @param maxStreamDuration how long one stream may run, however lively
 * @param maxProbeBytes a model listing read by a probe
 */
public record UpstreamLimits(long maxAnswerBytes, int maxErrorBytes, int maxEventBytes, int maxHeaderBytes,
    long maxStreamBytes, Duration maxStreamDuration, long maxProbeBytes) {
  public static final UpstreamLimits DEFAULTS = new UpstreamLimits(16L * 1024 * 1024, 64 * 1024, 4 * 1024 * 1024,
      64 * 1024, 512L * 1024 * 1024, Duration.ofHours(1), 4L * 1024 * 1024);

  public UpstreamLimits withMaxAnswerBytes(long bytes) {
    return new UpstreamLimits(bytes, maxErrorBytes, maxEventBytes, maxHeaderBytes, maxStreamBytes, maxStreamDuration, maxProbeBytes);
  }

  public UpstreamLimits withMaxStreamBytes(long bytes) {
    return new UpstreamLimits(maxAnswerBytes, maxErrorBytes, maxEventBytes, maxHeaderBytes, bytes, maxStreamDuration, maxProbeBytes);
  }

  public UpstreamLimits withMaxStreamDuration(Duration d) {
    return new UpstreamLimits(maxAnswerBytes, maxErrorBytes, maxEventBytes, maxHeaderBytes, maxStreamBytes, d, maxProbeBytes);
  }
}
