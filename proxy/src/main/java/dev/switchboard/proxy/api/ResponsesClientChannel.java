package dev.switchboard.proxy.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.dialect.responses.ResponsesAnswers;
import dev.switchboard.proxy.dialect.responses.ResponsesRequest;
import dev.switchboard.proxy.dialect.responses.ResponsesStreamEncoder;
import dev.switchboard.proxy.error.ApiError;
import dev.switchboard.proxy.exchange.Dialect;
import dev.switchboard.proxy.routing.ClientChannel;
import dev.switchboard.proxy.state.ResponseStore;
import dev.switchboard.proxy.upstream.ByteSlice;
import dev.switchboard.proxy.upstream.SseReader;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes answers to a Responses client: a Responses backend's own answer as it came (under the
 * gateway's response id), anything else encoded from the canonical shape; and, when the client
 * asked to store it, keeps the Response and its conversation for GET and {@code
 * previous_response_id}, with the backend's own id when the backend stored it too.
 */
final class ResponsesClientChannel implements ClientChannel {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final System.Logger LOG = System.getLogger("dev.switchboard.proxy");
  /** Whether a continuation was served from the backend's own state ({@code native}) or rebuilt from the gateway's store. */
  static final io.helidon.http.HeaderName CONTINUATION = HeaderNames.create("x-switchboard-continuation");
  /** The passed-through events that carry the Response object, whose id is the gateway's. */
  private static final java.util.Set<String> LIFECYCLE = java.util.Set.of("response.created", "response.in_progress",
      "response.queued", "response.completed", "response.incomplete", "response.failed");

  private final ServerResponse res;
  private final ResponsesRequest request;
  private final ResponseStore store;
  private final String owner;
  private final String id;
  private final long createdAt = System.currentTimeMillis() / 1000;
  private final List<String> events = new ArrayList<>();
  private ResponsesStreamEncoder encoder;
  private OutputStream out;
  private String backend = "";
  private String upstreamId = "";
  private ObjectNode finished;

  ResponsesClientChannel(ServerResponse res, ResponsesRequest request, ResponseStore store, String owner) {
    this.res = res;
    this.request = request;
    this.store = store;
    this.owner = owner;
    this.id = request.id();
  }

  @Override
  public void sendCompletion(Served served, byte[] body) throws IOException {
    headers(served);
    res.header(HeaderNames.CONTENT_TYPE, HttpResponses.JSON);
    byte[] answer;
    if (served.dialect() != Dialect.OPENAI_RESPONSES) {
      ObjectNode response = ResponsesAnswers.encode(body, id, request.model(), createdAt, request.options());
      JsonNode message = JSON.readTree(body).path("choices").path(0).path("message");
      keep(response, ResponsesAnswers.token(message.path("reasoning_details")));
      answer = response.toString().getBytes(StandardCharsets.UTF_8);
    } else if (JSON.readTree(body) instanceof ObjectNode response) {
      adopt(response);
      keep(response, "");
      answer = response.toString().getBytes(StandardCharsets.UTF_8);
    } else {
      answer = body;
    }
    try {
      res.send(answer);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public void openStream(Served served) throws IOException {
    headers(served);
    backend = served.backend();
    if (served.dialect() != Dialect.OPENAI_RESPONSES) {
      encoder = new ResponsesStreamEncoder(id, request.model(), createdAt, request.options());
    }
    res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    res.header(HeaderNames.create("x-accel-buffering"), "no");
    try {
      out = res.outputStream();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public void sendEvent(ByteSlice event) throws IOException {
    if (encoder == null) {
      relay(event);
      return;
    }
    String json = SseReader.data(event);
    if (json == null || json.isBlank()) {
      return;
    }
    events.clear();
    encoder.chunk(json, events);
    writeAll(events);
  }

  @Override
  public void endStream() throws IOException {
    try {
      if (encoder != null) {
        events.clear();
        encoder.end(events);
        writeAll(events);
        keep(encoder.response(), encoder.token());
      } else if (finished != null) {
        keep(finished, "");
      }
      out.close();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public void abortStream(ApiError error) {
    try {
      byte[] bytes = (encoder != null ? encoder.failed(error.code(), error.message())
          : "event: response.failed\ndata: " + failedEvent(error) + "\n\n").getBytes(StandardCharsets.UTF_8);
      write(bytes, 0, bytes.length);
      out.close();
    } catch (IOException | RuntimeException ignored) {
      // the client may be gone already; there is nobody left to tell
    }
  }

  private static ObjectNode failedEvent(ApiError error) {
    ObjectNode e = JSON.createObjectNode().put("type", "response.failed");
    e.putObject("response").put("status", "failed").putObject("error").put("code", error.code()).put("message", error.message());
    return e;
  }

  /**
   * A passed-through event, relayed as it came except that the Response object it may carry gets
   * the gateway's id: the client only ever sees ids the gateway can find again.
   */
  private void relay(ByteSlice event) throws IOException {
    String name = SseReader.eventName(event);
    if (!LIFECYCLE.contains(name)) {
      write(event.array(), event.offset(), event.length());
      return;
    }
    String data = SseReader.data(event);
    if (data == null || !(JSON.readTree(data) instanceof ObjectNode e) || !(e.path("response") instanceof ObjectNode response)) {
      write(event.array(), event.offset(), event.length());
      return;
    }
    adopt(response);
    if (name.equals("response.completed") || name.equals("response.incomplete")) {
      finished = response;
    }
    byte[] bytes = ("event: " + name + "\ndata: " + e + "\n\n").getBytes(StandardCharsets.UTF_8);
    write(bytes, 0, bytes.length);
  }

  /** Puts the gateway's ids on a backend's Response, remembering the backend's own. */
  private void adopt(ObjectNode response) {
    if (response.path("id").isTextual() && !response.path("id").asText().equals(id)) {
      upstreamId = response.path("id").asText();
    }
    response.put("id", id);
    if (response.has("previous_response_id")) {
      response.put("previous_response_id", request.options().previousResponseId().orElse(null));
    }
  }

  /** Stores the Response and the conversation it ends, when the client asked for it. */
  private void keep(ObjectNode response, String token) {
    if (!request.options().store()) {
      return;
    }
    ArrayNode history = request.conversation().deepCopy();
    history.add(ResponsesAnswers.assistantMessage(response, token));
    // A backend that answered in its own dialect with store on holds the conversation too, under its id.
    boolean held = !upstreamId.isEmpty() && !backend.isEmpty();
    try {
      store.put(new ResponseStore.Stored(id, owner, response.toString(), history.toString(), request.inputItems().toString(),
          held ? backend : "", held ? upstreamId : ""));
    } catch (ResponseStore.Unavailable e) {
      // The answer is the client's either way; a later previous_response_id naming it gets the store's 503.
      LOG.log(System.Logger.Level.WARNING, "response " + id + " was not stored: " + e.getMessage());
    }
  }

  private void headers(Served served) {
    HttpResponses.routing(res, served);
    backend = served.backend();
    if (request.options().previousResponseId().isPresent()) {
      res.header(CONTINUATION, served.dialect() == Dialect.OPENAI_RESPONSES ? "native" : "rebuilt");
    }
    if (served.dialect() == Dialect.CANONICAL && !request.dropped().isEmpty()) {
      res.header(MessagesClientChannel.DROPPED, String.join(", ", request.dropped()));
    }
  }

  private void writeAll(List<String> list) throws IOException {
    for (String e : list) {
      byte[] bytes = e.getBytes(StandardCharsets.UTF_8);
      write(bytes, 0, bytes.length);
    }
  }

  private void write(byte[] bytes, int offset, int length) throws IOException {
    try {
      out.write(bytes, offset, length);
      out.flush();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
