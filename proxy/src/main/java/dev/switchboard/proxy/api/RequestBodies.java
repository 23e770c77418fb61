package dev.switchboard.proxy.api;

import dev.switchboard.proxy.upstream.BoundedBodies;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads a request body up to a limit, refusing a larger one without reading it all. */
final class RequestBodies {
  /** The body exceeds the configured limit. */
  static final class TooLarge extends Exception {
    TooLarge() {
      super(null, null, false, false);
    }
  }

  private RequestBodies() {}

  static byte[] read(ServerRequest req, long limit) throws TooLarge, IOException {
    var declared = req.headers().contentLength();
    if (declared.isPresent() && declared.getAsLong() > limit) {
      throw new TooLarge();
    }
    try (InputStream in = req.content().inputStream()) {
      int cap = (int) Math.min(Integer.MAX_VALUE - 9, limit);
      byte[] body = BoundedBodies.read(in, cap, declared.isPresent() ? declared.getAsLong() : -1);
      if (body.length > limit) {
        throw new TooLarge();
      }
      return body;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
