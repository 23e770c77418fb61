package dev.switchboard.proxy.upstream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.proxy.error.SecretMasker;
import io.helidon.http.HeaderName;
import io.helidon.http.Method;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OpenAI chat completions wire format, shared by every adapter whose provider speaks it
 * (OpenAI, Azure chat completions, vLLM, LM Studio, llama.cpp, OpenRouter...): the request body
 * goes out as spliced bytes and the answer comes back as it is, with only usage read from it.
 */
final class OpenAiWire {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final UpstreamHttp http;

  OpenAiWire(UpstreamHttp http) {
    this.http = http;
  }

  UpstreamResponse chat(UpstreamCall call, String url, Map<HeaderName, String> auth) throws UpstreamException {
    BackendConfig backend = call.backend();
    boolean stream = call.request().stream();
    Duration readTimeout = stream ? backend.timeouts().streamIdle() : call.timeout();
    boolean askedUsage = call.asksForStreamUsage();
    UpstreamHttp.Exchange exchange = http.send(backend, Method.POST, url, auth, call.openAiBody(), stream, call.timeout(), readTimeout,
        call.lease());
    if (exchange.status() / 100 != 2) {
      throw exchange.error();
    }
    if (stream) {
      return new OpenAiStream(backend, exchange, askedUsage);
    }
    Watchdog watchdog = Watchdog.start(call.timeout(), exchange::close);
    try {
      byte[] body = exchange.readAll(watchdog);
      return new Completion(body, completionUsage(backend, body));
    } finally {
      watchdog.stop();
    }
  }

  /** An OpenAI-format embeddings call: the body goes out spliced, the list comes back as it is. */
  Completion embed(UpstreamCall call, String url, Map<HeaderName, String> auth) throws UpstreamException {
    BackendConfig backend = call.backend();
    UpstreamHttp.Exchange exchange = http.send(backend, Method.POST, url, auth, call.openAiBody(), false, call.timeout(), call.timeout(),
        call.lease());
    if (exchange.status() / 100 != 2) {
      throw exchange.error();
    }
    Watchdog watchdog = Watchdog.start(call.timeout(), exchange::close);
    try {
      byte[] body = exchange.readAll(watchdog);
      return new Completion(body, completionUsage(backend, body));
    } finally {
      watchdog.stop();
    }
  }

  /** Lists models from an OpenAI-style {@code GET .../models}. */
  ProbeResult probe(BackendConfig backend, String url, Map<HeaderName, String> auth) {
    long start = System.nanoTime();
    Duration timeout = backend.healthCheck().timeout();
    try (var lease = http.budget().lease();
        UpstreamHttp.Exchange exchange = http.send(backend, Method.GET, url, auth, null, false, timeout, timeout, lease)) {
      if (exchange.status() / 100 != 2) {
        UpstreamException error = exchange.error();
        return ProbeResult.failed(probeReason(error.status()), error.getMessage(), millisSince(start));
      }
      Watchdog watchdog = Watchdog.start(timeout, exchange::close);
      byte[] body;
      try {
        body = exchange.readAll(watchdog, http.limits().maxProbeBytes());
      } finally {
        watchdog.stop();
      }
      return ProbeResult.ok(millisSince(start), modelIds(body));
    } catch (UpstreamException e) {
      return ProbeResult.failed(e, millisSince(start));
    }
  }

  static String probeReason(int status) {
    return status == 401 || status == 403 ? "Unauthorized" : "ProbeFailed";
  }

  static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** {@code data[].id} of a model list; empty when the body has none. */
  static List<String> modelIds(byte[] body) {
    List<String> ids = new ArrayList<>();
    try {
      JsonNode list = JSON.readTree(body);
      for (JsonNode model : list.path("data")) {
        if (model.hasNonNull("id")) {
          ids.add(model.get("id").asText());
        }
      }
    } catch (IOException e) {
      // A reachable server with an odd listing is still reachable.
    }
    return ids;
  }

  /** Reads usage from a completion and refuses bodies that are not a completion. */
  static Usage completionUsage(BackendConfig backend, byte[] body) throws UpstreamException {
    Usage usage = Usage.NONE;
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw UpstreamException.protocol("backend " + backend.id() + " answered 2xx with something that is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("usage") && value == JsonToken.START_OBJECT) {
          usage = readUsage(p);
        } else if (name.equals("error") && value == JsonToken.START_OBJECT) {
          JsonNode error = JSON.readTree(p);
          throw new UpstreamException(UpstreamException.Kind.PROTOCOL, 0,
              SecretMasker.clean(SecretMasker.mask(error.path("message").asText("an error"), backend.apiKey()), 1000)
                  + " (backend " + backend.id() + ")",
              UpstreamErrors.field(error.path("type").asText(""), backend), UpstreamErrors.field(error.path("code").asText(""), backend),
              "", null);
        } else {
          p.skipChildren();
        }
      }
      return usage;
    } catch (IOException e) {
      throw UpstreamException.protocol("backend " + backend.id() + " answered 2xx with a body that is not valid JSON");
    }
  }

  /** Reads a usage object the parser stands at, without building a tree (this runs per answer). */
  static Usage readUsage(JsonParser p) throws IOException {
    long prompt = 0;
    long completion = 0;
    long reasoning = 0;
    long cached = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.VALUE_NUMBER_INT && name.equals("prompt_tokens")) {
        prompt = p.getLongValue();
      } else if (value == JsonToken.VALUE_NUMBER_INT && name.equals("completion_tokens")) {
        completion = p.getLongValue();
      } else if (value == JsonToken.START_OBJECT && name.equals("completion_tokens_details")) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String detail = p.currentName();
          if (p.nextToken() == JsonToken.VALUE_NUMBER_INT && detail.equals("reasoning_tokens")) {
            reasoning = p.getLongValue();
          } else {
            p.skipChildren();
          }
        }
      } else if (value == JsonToken.START_OBJECT && name.equals("prompt_tokens_details")) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String detail = p.currentName();
          if (p.nextToken() == JsonToken.VALUE_NUMBER_INT && detail.equals("cached_tokens")) {
            cached = p.getLongValue();
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
    return new Usage(prompt, completion, reasoning, cached);
  }

  static Usage parseUsage(JsonNode usage) {
    return new Usage(
        usage.path("prompt_tokens").asLong(0),
        usage.path("completion_tokens").asLong(0),
        usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0),
        usage.path("prompt_tokens_details").path("cached_tokens").asLong(0));
  }

  /** A pass-through stream: upstream events go to the client byte for byte. */
  static final class OpenAiStream implements ChatStream {
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);
    private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(1);
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR_KEY = "\"error\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USAGE_KEY = "\"usage\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FINISH_KEY = "\"finish_reason\"".getBytes(StandardCharsets.US_ASCII);

    private final BackendConfig backend;
    private final StreamGuard guard;
    private final SseReader reader;
    private Usage usage = Usage.NONE;
    private boolean finished;
    private boolean done;
    private boolean complete;
    /** The usage chunk was asked for by the gateway, not the client: it is read and not relayed. */
    private final boolean hideUsageChunk;

    OpenAiStream(BackendConfig backend, UpstreamHttp.Exchange exchange) {
      this(backend, exchange, false);
    }

    OpenAiStream(BackendConfig backend, UpstreamHttp.Exchange exchange, boolean hideUsageChunk) {
      this.backend = backend;
      this.guard = new StreamGuard(backend, exchange);
      this.reader = guard.sse();
      this.hideUsageChunk = hideUsageChunk;
    }

    @Override
    public ByteSlice next() throws UpstreamException {
      if (done) {
        return null;
      }
      while (true) {
        ByteSlice event;
        try {
          event = reader.next();
        } catch (IOException | RuntimeException e) {
          done = true;
          throw guard.broken(e);
        }
        if (event == null) {
          done = true;
          if (finished) {
            return null; // some servers end without [DONE] after the last chunk; the answer is whole
          }
          throw UpstreamException.stream("backend " + backend.id() + " ended the stream before the answer was complete");
        }
        int data = event.indexOf(DATA, 0);
        if (data < 0) {
          continue; // comments and keep-alives
        }
        int payload = data + DATA.length;
        while (payload < event.length() && event.byteAt(payload) == ' ') {
          payload++;
        }
        if (event.indexOf(DONE, payload) == payload) {
          // The answer is complete: the client's stream ends now, whatever the upstream does next.
          done = true;
          complete = true;
          return null;
        }
        if (event.contains(ERROR_KEY)) {
          UpstreamException error = inBandError(event);
          if (error != null) {
            done = true;
            throw error;
          }
        }
        if (!isJsonObject(event, payload)) {
          done = true;
          throw UpstreamException.protocol("backend " + backend.id() + " sent a stream event that is not a JSON object");
        }
        if (!finished && hasValue(event, FINISH_KEY)) {
          finished = true;
        }
        if (hasObjectValue(event, USAGE_KEY)) {
          try {
            JsonNode chunk = JSON.readTree(SseReader.data(event));
            usage = parseUsage(chunk.path("usage"));
            if (hideUsageChunk && chunk.path("choices").isArray() && chunk.path("choices").isEmpty()) {
              continue; // the client did not ask for it; its usage is counted
            }
          } catch (IOException e) {
            // A malformed usage object is not worth failing an answer over.
          }
        }
        return event;
      }
    }

    private UpstreamException inBandError(ByteSlice event) {
      try {
        JsonNode json = JSON.readTree(SseReader.data(event));
        JsonNode error = json.get("error");
        if (error == null || error.isNull()) {
          return null;
        }
        String message = error.isTextual() ? error.asText() : error.path("message").asText("an error");
        return new UpstreamException(UpstreamException.Kind.STREAM, 0,
            SecretMasker.clean(SecretMasker.mask(message, backend.apiKey()), 1000) + " (backend " + backend.id() + ", in the stream)",
            UpstreamErrors.field(error.path("type").asText(""), backend), UpstreamErrors.field(error.path("code").asText(""), backend),
            "", null);
      } catch (IOException e) {
        return null;
      }
    }

    /**
     * Whether the event's data is one JSON object, checked with a streaming pass (no tree) so
     * that a chunk a client's SDK could not parse is never relayed as part of a 200.
     */
    static boolean isJsonObject(ByteSlice event, int payload) {
      if (event.indexOf(DATA, payload) >= 0) {
        String data = SseReader.data(event); // several data lines: join them as SSE says
        try (JsonParser p = FACTORY.createParser(data)) {
          return wholeObject(p);
        } catch (IOException e) {
          return false;
        }
      }
      int lineEnd = payload;
      while (lineEnd < event.length() && event.byteAt(lineEnd) != '\n' && event.byteAt(lineEnd) != '\r') {
        lineEnd++;
      }
      try (JsonParser p = FACTORY.createParser(event.array(), event.offset() + payload, lineEnd - payload)) {
        return wholeObject(p);
      } catch (IOException e) {
        return false;
      }
    }

    private static boolean wholeObject(JsonParser p) throws IOException {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    }

    /** Whether {@code "key"} is followed by a non-null value. */
    private static boolean hasValue(ByteSlice event, byte[] key) {
      int at = event.indexOf(key, 0);
      while (at >= 0) {
        int i = at + key.length;
        while (i < event.length() && (event.byteAt(i) == ' ' || event.byteAt(i) == ':')) {
          i++;
        }
        if (i < event.length() && event.byteAt(i) != 'n') {
          return true;
        }
        at = event.indexOf(key, at + 1);
      }
      return false;
    }

    private static boolean hasObjectValue(ByteSlice event, byte[] key) {
      int at = event.indexOf(key, 0);
      if (at < 0) {
        return false;
      }
      int i = at + key.length;
      while (i < event.length() && (event.byteAt(i) == ' ' || event.byteAt(i) == ':')) {
        i++;
      }
      return i < event.length() && event.byteAt(i) == '{';
    }

    @Override
    public Usage usage() {
      return usage;
    }

    /**
     * After {@code [DONE]} the upstream usually ends its body at once, and reading that end lets
     * the connection go back to the pool. That read happens on its own thread with a short
     * deadline, after the client's stream has ended, so an upstream that keeps the connection
     * open (pings, silence, more events) costs it the connection and never delays the client.
     */
    @Override
    public void close() {
      if (!complete) {
        guard.close();
        return;
      }
      Thread.ofVirtual().name("switchboard-stream-drain").start(() -> {
        Watchdog deadline = Watchdog.start(DRAIN_DEADLINE, guard::close);
        try {
          while (reader.next() != null) {
            // nothing after [DONE] is meaningful
          }
        } catch (IOException | RuntimeException ignored) {
          // the connection will simply not be reused
        } finally {
          deadline.stop();
          guard.close();
        }
      });
    }
  }
}
