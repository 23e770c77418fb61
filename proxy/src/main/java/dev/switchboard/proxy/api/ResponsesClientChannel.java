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
 * Writes answers to a Responses client: a Responses backend's own answer as it came, anything
 * else encoded from the canonical shape; and, when the client asked to store it, keeps the
 * Response and its conversation for GET and {@code previous_response_id}.
 */
final class ResponsesClientChannel implements ClientChannel {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final System.Logger LOG = System.getLogger("dev.switchboard.proxy");

  private final ServerResponse res;
  private final ResponsesRequest request;
  private final ResponseStore store;
  private final String owner;
  private final String id = ResponsesAnswers.newId("resp_");
  private final long createdAt = System.currentTimeMillis() / 1000;
  private final List<String> events = new ArrayList<>();
  private ResponsesStreamEncoder encoder;
  private OutputStream out;

  ResponsesClientChannel(ServerResponse res, ResponsesRequest request, ResponseStore store, String owner) {
    this.res = res;
    this.request = request;
    this.store = store;
    this.owner = owner;
  }

  @Override
  public void sendCompletion(Served served, byte[] body) throws IOException {
    headers(served);
    res.header(HeaderNames.CONTENT_TYPE, HttpResponses.JSON);
    byte[] answer = body;
    if (served.dialect() != Dialect.OPENAI_RESPONSES) {
      ObjectNode response = ResponsesAnswers.encode(body, id, request.model(), createdAt, request.options());
      JsonNode message = JSON.readTree(body).path("choices").path(0).path("message");
      keep(response, ResponsesAnswers.token(message.path("reasoning_details")));
      answer = response.toString().getBytes(StandardCharsets.UTF_8);
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
      write(event.array(), event.offset(), event.length());
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

  /** Stores the Response and the conversation it ends, when the client asked for it. */
  private void keep(ObjectNode response, String token) {
    if (!request.options().store()) {
      return;
    }
    ArrayNode history = request.conversation().deepCopy();
    history.add(ResponsesAnswers.assistantMessage(response, token));
    try {
      store.put(new ResponseStore.Stored(id, owner, response.toString(), history.toString(), request.inputItems().toString()));
    } catch (ResponseStore.Unavailable e) {
      // The answer is the client's either way; a later previous_response_id naming it gets the store's 503.
      LOG.log(System.Logger.Level.WARNING, "response " + id + " was not stored: " + e.getMessage());
    }
  }

  private void headers(Served served) {
    HttpResponses.routing(res, served);
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
