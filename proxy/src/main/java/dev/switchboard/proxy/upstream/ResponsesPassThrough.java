package dev.switchboard.proxy.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.proxy.dialect.responses.ResponsesRequest;
import dev.switchboard.proxy.dialect.responses.ResponsesTranslator;
import dev.switchboard.proxy.exchange.Dialect;
import dev.switchboard.proxy.request.RequestRewriter;
import io.helidon.http.HeaderName;
import io.helidon.http.Method;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Responses request sent to a Responses backend as the client wrote it: only the model (the
 * deployment, for Azure) is replaced, and route parameters the Responses API shares are applied.
 * The answer comes back as the backend wrote it, except that the Response names the model the
 * client asked for. Only requests whose conversation the backend can see whole go this way: new
 * ones, and continuations of a response the backend stored itself, whose {@code
 * previous_response_id} becomes the backend's own id (see {@link ResponsesRequest#passThroughTo}).
 */
final class ResponsesPassThrough {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> SHARED = Set.of("temperature", "top_p", "max_output_tokens", "parallel_tool_calls");

  private ResponsesPassThrough() {}

  static UpstreamResponse send(UpstreamHttp http, UpstreamCall call, ResponsesRequest r, String url, Map<HeaderName, String> headers)
      throws UpstreamException {
    BackendConfig backend = call.backend();
    List<RequestRewriter.EncodedField> overrides = new java.util.ArrayList<>(shared(call.overrides()));
    if (!r.options().store()) {
      overrides.add(new RequestRewriter.EncodedField("store", "\"store\":false".getBytes(StandardCharsets.UTF_8)));
    }
    if (r.previousNative().isPresent()) {
      overrides.add(new RequestRewriter.EncodedField("previous_response_id",
          ("\"previous_response_id\":" + JSON.valueToTree(r.previousNative().get().upstreamId())).getBytes(StandardCharsets.UTF_8)));
    }
    byte[] body = RequestRewriter.rewrite(
        new OriginalBytes(r.original(), r.model(), r.originalFields(), r.stream()), call.upstreamModel(), shared(call.defaults()), overrides);
    call.reserve(body.length);
    boolean stream = r.stream();
    java.time.Duration read = stream ? backend.timeouts().streamIdle() : call.timeout();
    UpstreamHttp.Exchange exchange = http.send(backend, Method.POST, url, headers, body, stream, call.timeout(), read, call.lease());
    if (exchange.status() / 100 != 2) {
      try (exchange) {
        throw exchange.error();
      }
    }
    if (stream) {
      return new Events(backend, exchange, r.model());
    }
    JsonNode response = NativeCalls.readJson(exchange, backend, call.timeout());
    if (response instanceof ObjectNode object) {
      object.put("model", r.model());
    }
    return new Completion(response.toString().getBytes(StandardCharsets.UTF_8), ResponsesTranslator.usageOf(response.path("usage")),
        Dialect.OPENAI_RESPONSES);
  }

  private static List<RequestRewriter.EncodedField> shared(List<RequestRewriter.EncodedField> fields) {
    return fields.stream().filter(f -> SHARED.contains(f.name())).toList();
  }

  /** The backend's events relayed as they arrive; usage read from the last, a failure event turned into a failure. */
  static final class Events implements ChatStream {
    private final BackendConfig backend;
    private final StreamGuard guard;
    private final SseReader sse;
    private final String model;
    private Usage usage = Usage.NONE;
    private boolean done;

    Events(BackendConfig backend, UpstreamHttp.Exchange exchange, String model) {
      this.backend = backend;
      this.guard = new StreamGuard(backend, exchange);
      this.sse = guard.sse();
      this.model = model;
    }

    @Override
    public Dialect dialect() {
      return Dialect.OPENAI_RESPONSES;
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
      String data = SseReader.data(raw);
      if (data == null || data.isBlank() || data.trim().equals("[DONE]")) {
        return raw;
      }
      String type = SseReader.eventName(raw);
      if (type.isEmpty() || type.startsWith("response.created") || type.startsWith("response.in_progress")
          || type.equals("response.completed") || type.equals("response.incomplete") || type.equals("response.failed")
          || type.equals("error")) {
        JsonNode event;
        try {
          event = JSON.readTree(data);
        } catch (IOException e) {
          done = true;
          throw UpstreamException.protocol("backend " + backend.id() + " sent a stream event that is not JSON");
        }
        type = event.path("type").asText(type);
        if (type.equals("error") || type.equals("response.failed")) {
          done = true;
          JsonNode error = type.equals("error") ? event : event.path("response").path("error");
          throw new UpstreamException(UpstreamException.Kind.STREAM, 0,
              error.path("message").asText("an error") + " (backend " + backend.id() + ", in the stream)",
              "server_error", error.path("code").asText(""), "", null);
        }
        if (event.path("response") instanceof ObjectNode response) {
          response.put("model", model); // the name the client asked for, as in translated answers
          if (response.path("usage").isObject()) {
            usage = ResponsesTranslator.usageOf(response.path("usage"));
          }
          String name = SseReader.eventName(raw);
          return ByteSlice.of(((name.isEmpty() ? "" : "event: " + name + "\n") + "data: " + event + "\n\n")
              .getBytes(StandardCharsets.UTF_8));
        }
      }
      return raw;
    }

    @Override
    public Usage usage() {
      return usage;
    }

    @Override
    public void close() {
      guard.close();
    }
  }
}
