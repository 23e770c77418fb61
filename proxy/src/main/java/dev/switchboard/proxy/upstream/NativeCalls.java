package dev.switchboard.proxy.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.ModelConfig;
import io.helidon.http.HeaderName;
import io.helidon.http.Method;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** What the translating adapters share: sending JSON, reading a JSON answer, and probing a model listing. */
final class NativeCalls {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NativeCalls() {}

  /**
   * Sends one try and checks its status. A stream's head is awaited for {@code headTimeout}; the
   * socket's read timeout is the longer of that and the stream-idle timeout.
   */
  static UpstreamHttp.Exchange post(UpstreamHttp http, UpstreamCall call, String url, Map<HeaderName, String> headers,
      JsonNode body, boolean stream, Duration headTimeout) throws UpstreamException {
    BackendConfig backend = call.backend();
    Duration read = stream ? backend.timeouts().streamIdle() : call.timeout();
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
    call.reserve(bytes.length);
    UpstreamHttp.Exchange exchange = http.send(backend, Method.POST, url, headers, bytes, stream, headTimeout, read, call.lease());
    if (exchange.status() / 100 != 2) {
      throw exchange.error();
    }
    return exchange;
  }

  /** Reads a whole JSON answer within {@code timeout}. */
  static JsonNode readJson(UpstreamHttp.Exchange exchange, BackendConfig backend, Duration timeout) throws UpstreamException {
    return readJson(exchange, backend, timeout, exchange.limits().maxAnswerBytes());
  }

  static JsonNode readJson(UpstreamHttp.Exchange exchange, BackendConfig backend, Duration timeout, long limit)
      throws UpstreamException {
    Watchdog watchdog = Watchdog.start(timeout, exchange::close);
    try {
      byte[] body = exchange.readAll(watchdog, limit);
      // The tree is paid for like a translated request's (see UpstreamCall).
      try {
        exchange.lease().reserve((long) body.length * 2);
      } catch (dev.switchboard.proxy.memory.MemoryBudget.Exhausted e) {
        throw UpstreamException.overloaded("the gateway is holding as many answers as its memory allows; try again shortly");
      }
      return JSON.readTree(body);
    } catch (IOException e) {
      throw UpstreamException.protocol("backend " + backend.id() + " answered 2xx with a body that is not valid JSON");
    } finally {
      watchdog.stop();
    }
  }

  /** GETs a model listing and reads model names from it. */
  static ProbeResult probe(UpstreamHttp http, BackendConfig backend, String url, Map<HeaderName, String> headers,
      Function<JsonNode, List<String>> models) {
    long start = System.nanoTime();
    Duration timeout = backend.healthCheck().timeout();
    try (var lease = http.budget().lease();
        UpstreamHttp.Exchange exchange = http.send(backend, Method.GET, url, headers, null, false, timeout, timeout, lease)) {
      if (exchange.status() / 100 != 2) {
        UpstreamException error = exchange.error();
        return ProbeResult.failed(OpenAiWire.probeReason(error.status()), error.getMessage(), OpenAiWire.millisSince(start));
      }
      JsonNode listing = readJson(exchange, backend, timeout, http.limits().maxProbeBytes());
      return ProbeResult.ok(OpenAiWire.millisSince(start), models.apply(listing));
    } catch (UpstreamException e) {
      return ProbeResult.failed(e, OpenAiWire.millisSince(start));
    }
  }

  /** The backend model a call is for (found by its upstream name), for per-model defaults. */
  static java.util.Optional<ModelConfig> model(UpstreamCall call) {
    return call.backend().models().stream().filter(m -> m.upstreamName().equals(call.upstreamModel())).findFirst();
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
