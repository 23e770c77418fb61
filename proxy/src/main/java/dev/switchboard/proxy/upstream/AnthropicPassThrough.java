package dev.switchboard.proxy.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.proxy.dialect.anthropic.MessagesRequest;
import dev.switchboard.proxy.exchange.Dialect;
import dev.switchboard.proxy.request.RequestRewriter;
import dev.switchboard.proxy.dialect.anthropic.AnthropicTranslator;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An Anthropic Messages request sent to an Anthropic backend as the client wrote it: only the
 * model is replaced (and route parameters Anthropic shares are applied), beta headers go along,
 * and the answer comes back byte for byte except for the model name, which is the client's.
 */
final class AnthropicPassThrough {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HeaderName BETA = HeaderNames.create("anthropic-beta");
  /** Route defaults and target parameters that mean the same in Anthropic's API. */
  private static final Set<String> SHARED = Set.of("temperature", "top_p", "top_k", "max_tokens");

  private AnthropicPassThrough() {}

  static UpstreamResponse send(UpstreamHttp http, UpstreamCall call, MessagesRequest m, Map<HeaderName, String> auth)
      throws UpstreamException {
    BackendConfig backend = call.backend();
    byte[] body = RequestRewriter.rewrite(
        new OriginalBytes(m.original(), m.model(), m.originalFields(), m.stream()), call.upstreamModel(), shared(call.defaults()), shared(call.overrides()));
    call.reserve(body.length);
    Map<HeaderName, String> headers = new HashMap<>(auth);
    if (!m.version().isEmpty()) {
      headers.put(AnthropicAdapter.VERSION, m.version());
    }
    if (!m.betas().isEmpty()) {
      headers.put(BETA, m.betas());
    }
    String url = backend.url() + "/v1/messages" + (m.betaQuery() ? "?beta=true" : "");
    boolean stream = m.stream();
    java.time.Duration read = stream ? backend.timeouts().streamIdle() : call.timeout();
    UpstreamHttp.Exchange exchange = http.send(backend, Method.POST, url, headers, body, stream, call.timeout(), read, call.lease());
    if (exchange.status() / 100 != 2) {
      try (exchange) {
        throw exchange.error();
      }
    }
    if (stream) {
      return new Events(backend, exchange, m.model());
    }
    JsonNode message = NativeCalls.readJson(exchange, backend, call.timeout());
    if (message instanceof ObjectNode object) {
      object.put("model", m.model());
    }
    return new Completion(message.toString().getBytes(StandardCharsets.UTF_8), AnthropicTranslator.usageOf(message.path("usage")),
        Dialect.ANTHROPIC_MESSAGES);
  }

  static java.util.OptionalLong countTokens(UpstreamHttp http, BackendConfig backend, MessagesRequest m, String upstreamModel,
      Map<HeaderName, String> auth, java.time.Duration timeout) {
    byte[] body = RequestRewriter.rewrite(
        new OriginalBytes(m.original(), m.model(), m.originalFields(), m.stream()), upstreamModel, List.of(), List.of());
    Map<HeaderName, String> headers = new HashMap<>(auth);
    if (!m.betas().isEmpty()) {
      headers.put(BETA, m.betas());
    }
    try (var lease = http.budget().lease();
        UpstreamHttp.Exchange exchange = http.send(backend, Method.POST, backend.url() + "/v1/messages/count_tokens", headers, body,
            false, timeout, timeout, lease)) {
      if (exchange.status() / 100 != 2) {
        return java.util.OptionalLong.empty();
      }
      JsonNode answer = NativeCalls.readJson(exchange, backend, timeout, 64 * 1024);
      return answer.path("input_tokens").isIntegralNumber()
          ? java.util.OptionalLong.of(answer.path("input_tokens").asLong()) : java.util.OptionalLong.empty();
    } catch (UpstreamException | RuntimeException e) {
      return java.util.OptionalLong.empty();
    }
  }

  private static List<RequestRewriter.EncodedField> shared(List<RequestRewriter.EncodedField> fields) {
    return fields.stream().filter(f -> SHARED.contains(f.name())).toList();
  }

  /** Anthropic's events relayed as they arrive; usage read on the way, an error event turned into a failure. */
  static final class Events implements ChatStream {
    private final BackendConfig backend;
    private final StreamGuard guard;
    private final SseReader sse;
    private final String model;
    private long input;
    private long cacheRead;
    private long cacheWrite;
    private long output;
    private boolean done;

    Events(BackendConfig backend, UpstreamHttp.Exchange exchange, String model) {
      this.backend = backend;
      this.guard = new StreamGuard(backend, exchange);
      this.sse = guard.sse();
      this.model = model;
    }

    @Override
    public Dialect dialect() {
      return Dialect.ANTHROPIC_MESSAGES;
    }

    @Override
    public ByteSlice next() throws UpstreamException {
      if (done) {
        return null;
      }
      ByteSlice raw;
      try {
        raw = sse.next();
      } catch (IOException | RuntimeException e) {
        done = true;
        throw guard.broken(e);
      }
      if (raw == null) {
        done = true;
        if (sse.endedMidEvent()) {
          throw UpstreamException.stream("backend " + backend.id() + " broke off the stream in the middle of an event");
        }
        return null;
      }
      String name = SseReader.eventName(raw);
      switch (name) {
        case "message_start" -> {
          JsonNode data = parse(raw);
          JsonNode usage = data.path("message").path("usage");
          input = usage.path("input_tokens").asLong(0);
          cacheRead = usage.path("cache_read_input_tokens").asLong(0);
          cacheWrite = usage.path("cache_creation_input_tokens").asLong(0);
          output = usage.path("output_tokens").asLong(0);
          if (data.path("message") instanceof ObjectNode message) {
            message.put("model", model); // the name the client asked for, as in translated answers
          }
          return ByteSlice.of(("event: message_start\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
        case "message_delta" -> {
          JsonNode usage = parse(raw).path("usage");
          output = usage.path("output_tokens").asLong(output);
          input = usage.path("input_tokens").asLong(input);
          cacheRead = usage.path("cache_read_input_tokens").asLong(cacheRead);
          cacheWrite = usage.path("cache_creation_input_tokens").asLong(cacheWrite);
        }
        case "message_stop" -> done = true;
        case "error" -> {
          done = true;
          JsonNode error = parse(raw).path("error");
          throw new UpstreamException(UpstreamException.Kind.STREAM, 0,
              error.path("message").asText("an error") + " (backend " + backend.id() + ", in the stream)",
              error.path("type").asText("api_error"), error.path("type").asText(""), "", null);
        }
        default -> {
          // content blocks and pings go through untouched
        }
      }
      return raw;
    }

    private JsonNode parse(ByteSlice raw) throws UpstreamException {
      try {
        return JSON.readTree(SseReader.data(raw));
      } catch (IOException | RuntimeException e) {
        done = true;
        throw UpstreamException.protocol("backend " + backend.id() + " sent a stream event that is not JSON");
      }
    }

    @Override
    public Usage usage() {
      return new Usage(input + cacheRead + cacheWrite, output, 0, cacheRead);
    }

    @Override
    public void close() {
      guard.close();
    }
  }
}
