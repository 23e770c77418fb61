package dev.switchboard.proxy.api;

import dev.switchboard.proxy.error.ApiError;
import dev.switchboard.proxy.routing.ClientChannel;
import dev.switchboard.proxy.upstream.ByteSlice;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Writes answers to a Helidon response; every stream event is flushed as soon as it is written. */
final class HttpClientChannel implements ClientChannel {
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private final ServerResponse res;
  private OutputStream out;

  HttpClientChannel(ServerResponse res) {
    this.res = res;
  }

  @Override
  public void sendCompletion(Served served, byte[] body) throws IOException {
    HttpResponses.routing(res, served);
    res.header(HeaderNames.CONTENT_TYPE, HttpResponses.JSON);
    try {
      res.send(body);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public void openStream(Served served) throws IOException {
    HttpResponses.routing(res, served);
    res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    res.header(HeaderNames.create("x-accel-buffering"), "no"); // ask nginx-style proxies not to buffer
    try {
      out = res.outputStream();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public void sendEvent(ByteSlice event) throws IOException {
    try {
      out.write(event.array(), event.offset(), event.length());
      out.flush();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public void endStream() throws IOException {
    try {
      out.write(DONE);
      out.close();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public void abortStream(ApiError error) {
    try {
      out.write(error.sseEvent());
      out.close();
    } catch (IOException | RuntimeException ignored) {
      // the client may be gone already; there is nobody left to tell
    }
  }
}
