package dev.switchboard.proxy.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.BackendConfig;
import dev.switchboard.proxy.exchange.StreamTranslator;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A provider's native stream (server-sent events or newline-delimited JSON) read event by event
 * and turned into OpenAI chunks by a {@link StreamTranslator}. Each chunk is handed on as soon as
 * the event that produced it has arrived.
 */
final class TranslatedStream implements ChatStream {
  /** How the provider frames its events. */
  enum Framing { SSE, NDJSON }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BackendConfig backend;
  private final StreamGuard guard;
  private final StreamTranslator translator;
  private final SseReader sse;
  private final LineReader lines;
  private final ArrayDeque<String> ready = new ArrayDeque<>();
  private final List<String> batch = new ArrayList<>();
  private boolean ended;

  TranslatedStream(BackendConfig backend, UpstreamHttp.Exchange exchange, Framing framing, StreamTranslator translator) {
    this.backend = backend;
    this.translator = translator;
    this.guard = new StreamGuard(backend, exchange);
    this.sse = framing == Framing.SSE ? guard.sse() : null;
    this.lines = framing == Framing.NDJSON ? guard.lines() : null;
  }

  @Override
  public ByteSlice next() throws UpstreamException {
    while (ready.isEmpty()) {
      if (ended) {
        return null;
      }
      readOne();
    }
    return ByteSlice.of(SseReader.dataEvent(ready.poll()));
  }

  private void readOne() throws UpstreamException {
    batch.clear();
    String event = "";
    String data;
    try {
      if (sse != null) {
        ByteSlice raw = sse.next();
        if (raw == null) {
          end();
          return;
        }
        data = SseReader.data(raw);
        event = SseReader.eventName(raw);
        if (data == null || data.isBlank()) {
          return; // comments, keep-alives
        }
        if (data.trim().equals("[DONE]")) {
          end();
          return;
        }
      } else {
        data = lines.next();
        if (data == null) {
          end();
          return;
        }
        if (data.isBlank()) {
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      ended = true;
      throw guard.broken(e);
    }
    JsonNode json;
    try {
      json = JSON.readTree(data);
    } catch (IOException e) {
      ended = true;
      throw UpstreamException.protocol("backend " + backend.id() + " sent a stream event that is not JSON");
    }
    try {
      translator.onEvent(event, json, batch);
    } catch (UpstreamException e) {
      ended = true;
      throw e;
    } catch (RuntimeException e) {
      // A translator meeting an event it cannot read is a malformed answer, not a gateway bug.
      ended = true;
      throw UpstreamException.protocol("backend " + backend.id() + " sent a stream event the gateway cannot read");
    }
    ready.addAll(batch);
    if (translator.complete()) {
      end();
    }
  }

  private void end() throws UpstreamException {
    ended = true;
    batch.clear();
    translator.onEnd(batch);
    ready.addAll(batch);
  }

  @Override
  public Usage usage() {
    return translator.usage();
  }

  @Override
  public void close() {
    guard.close();
  }
}
