package dev.switchboard.proxy.upstream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.BackendConfig;
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
    UpstreamHttp.Exchange exchange = http.send(backend, Method.POST, url, auth, call.openAiBody(), stream, call.timeout(), readTimeout);
    if (exchange.status() / 100 != 2) {
      throw exchange.error();
    }
    if (stream) {
      return new OpenAiStream(backend, exchange);
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
    UpstreamHttp.Exchange exchange = http.send(backend, Method.POST, url, auth, call.openAiBody(), false, call.timeout(), call.timeout());
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
    try (UpstreamHttp.Exchange exchange = http.send(backend, Method.GET, url, auth, null, false, timeout, timeout)) {
      if (exchange.status() / 100 != 2) {
        UpstreamException error = exchange.error();
        return ProbeResult.failed(probeReason(error.status()), error.getMessage(), millisSince(start));
      }
      Watchdog watchdog = Watchdog.start(timeout, exchange::close);
      byte[] body;
      try {
        body = exchange.readAll(watchdog);
      } finally {
        watchdog.stop();
      }
      return ProbeResult.ok(millisSince(start), modelIds(body));
    } catch (UpstreamException e) {
      return ProbeResult.failed("Unreachable", e.getMessage(), millisSince(start));
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
              SecretMasker.mask(error.path("message").asText("an error"), backend.apiKey()) + " (backend " + backend.id() + ")",
              error.path("type").asText(""), error.path("code").asText(""), "", null);
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
      } else {
        p.skipChildren();
      }
    }
    return new Usage(prompt, completion, reasoning);
  }

  static Usage parseUsage(JsonNode usage) {
    return new Usage(
        usage.path("prompt_tokens").asLong(0),
        usage.path("completion_tokens").asLong(0),
        usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
  }

  /** A pass-through stream: upstream events go to the client byte for byte. */
  static final class OpenAiStream implements ChatStream {
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR_KEY = "\"error\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USAGE_KEY = "\"usage\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FINISH_KEY = "\"finish_reason\"".getBytes(StandardCharsets.US_ASCII);

    private final BackendConfig backend;
    private final UpstreamHttp.Exchange exchange;
    private final Watchdog watchdog;
    private final SseReader reader;
    private Usage usage = Usage.NONE;
    private boolean finished;
    private boolean done;

    OpenAiStream(BackendConfig backend, UpstreamHttp.Exchange exchange) {
      this.backend = backend;
      this.exchange = exchange;
      this.watchdog = Watchdog.start(backend.timeouts().streamIdle(), exchange::close);
      this.watchdog.idle(backend.timeouts().streamIdle());
      this.reader = new SseReader(exchange.body(), watchdog::touch);
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
          throw broken(e);
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
          done = true;
          drain();
          return null;
        }
        if (event.contains(ERROR_KEY)) {
          UpstreamException error = inBandError(event);
          if (error != null) {
            done = true;
            throw error;
          }
        }
        if (!finished && hasValue(event, FINISH_KEY)) {
          finished = true;
        }
        if (hasObjectValue(event, USAGE_KEY)) {
          try {
            usage = parseUsage(JSON.readTree(SseReader.data(event)).path("usage"));
          } catch (IOException e) {
            // A malformed usage object is not worth failing an answer over.
          }
        }
        return event;
      }
    }

    private UpstreamException broken(Exception e) {
      done = true;
      if (watchdog.fired()) {
        return UpstreamException.timeout("backend " + backend.id() + " sent nothing for "
            + UpstreamHttp.describe(backend.timeouts().streamIdle()) + " in the middle of a stream");
      }
      return UpstreamException.stream("backend " + backend.id() + " broke off the stream ("
          + SecretMasker.mask(String.valueOf(e.getMessage()), backend.apiKey()) + ")");
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
            SecretMasker.mask(message, backend.apiKey()) + " (backend " + backend.id() + ", in the stream)",
            error.path("type").asText(""), error.path("code").asText(""), "", null);
      } catch (IOException e) {
        return null;
      }
    }

    private void drain() {
      // Reading to the end of the body lets the connection go back to the pool.
      try {
        while (reader.next() != null) {
          // nothing after [DONE] is meaningful
        }
      } catch (IOException | RuntimeException ignored) {
        // the connection will simply not be reused
      }
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

    @Override
    public void close() {
      watchdog.stop();
      exchange.close();
    }
  }
}
