package dev.switchboard.proxy.upstream;

import dev.switchboard.config.BackendConfig;
import java.time.Duration;

/**
 * The deadlines every upstream stream runs under, whatever its framing: silence longer than the
 * backend's {@code streamIdle}, and a total duration no stream may exceed however lively it is.
 * Either aborts the exchange, which unblocks the reading thread; {@link #broken} then says which
 * one it was, or what else broke the stream, in words a client can read.
 */
final class StreamGuard {
  private final BackendConfig backend;
  private final UpstreamHttp.Exchange exchange;
  private final Watchdog idle;
  private final Watchdog total;
  private final Duration maxDuration;

  StreamGuard(BackendConfig backend, UpstreamHttp.Exchange exchange) {
    this.backend = backend;
    this.exchange = exchange;
    this.idle = Watchdog.start(backend.timeouts().streamIdle(), exchange::close);
    this.idle.idle(backend.timeouts().streamIdle());
    this.maxDuration = exchange.limits().maxStreamDuration();
    this.total = Watchdog.start(maxDuration, exchange::close);
  }

  /** For the readers: every read from the network is activity. */
  void touch() {
    idle.touch();
  }

  /** A reader over the exchange's body with the stream limits. */
  SseReader sse() {
    UpstreamLimits limits = exchange.limits();
    return new SseReader(exchange.body(), this::touch, limits.maxEventBytes(), limits.maxStreamBytes(), exchange.lease());
  }

  LineReader lines() {
    UpstreamLimits limits = exchange.limits();
    return new LineReader(exchange.body(), this::touch, limits.maxEventBytes(), limits.maxStreamBytes(), exchange.lease());
  }

  /** Why the stream could not be read further, as the failure the client will see. */
  UpstreamException broken(Exception e) {
    String what = "backend " + backend.id();
    if (total.fired()) {
      return UpstreamException.stream(what + "'s stream ran longer than the gateway's limit of "
          + UpstreamHttp.describe(maxDuration));
    }
    if (idle.fired()) {
      return UpstreamException.timeout(what + " sent nothing for "
          + UpstreamHttp.describe(backend.timeouts().streamIdle()) + " in the middle of a stream");
    }
    if (e instanceof StreamLimitReached limit) {
      return limit.overloaded()
          ? UpstreamException.overloaded("the gateway is holding as much stream data as its memory allows; try again shortly")
          : UpstreamException.protocol(what + " " + limit.getMessage());
    }
    return UpstreamException.stream(what + " broke off the stream (" + UpstreamHttp.describeBreak(e, backend) + ")");
  }

  /** Stops both deadlines and releases (or aborts) the exchange. */
  void close() {
    idle.stop();
    total.stop();
    exchange.close();
  }
}
