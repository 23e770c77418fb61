package dev.switchboard.proxy.routing;

import dev.switchboard.proxy.error.ApiError;
import dev.switchboard.proxy.exchange.Dialect;
import dev.switchboard.proxy.upstream.ByteSlice;
import java.io.IOException;
import java.util.List;

/**
 * Where an answer goes: the HTTP layer implements it. Nothing is committed to the client before
 * {@link #sendCompletion} or {@link #openStream}, which is what makes failover before the first
 * byte possible.
 */
public interface ClientChannel {
  /**
   * Which route, backend and number of tries produced an answer, and what the gateway changed so
   * the backend would answer, for the response headers; and the dialect the answer is in.
   */
  /** @param unverified capabilities the request needs that the serving target's model failed in its last check */
  record Served(String route, String backend, int attempts, List<String> degraded, Dialect dialect, List<String> unverified) {
    public Served(String route, String backend, int attempts) {
      this(route, backend, attempts, List.of(), Dialect.CANONICAL, List.of());
    }

    public Served(String route, String backend, int attempts, List<String> degraded) {
      this(route, backend, attempts, degraded, Dialect.CANONICAL, List.of());
    }

    public Served(String route, String backend, int attempts, List<String> degraded, Dialect dialect) {
      this(route, backend, attempts, degraded, dialect, List.of());
    }
  }

  void sendCompletion(Served served, byte[] body) throws IOException;

  void openStream(Served served) throws IOException;

  /** Sends one event and flushes it. */
  void sendEvent(ByteSlice event) throws IOException;

  /** Ends a complete stream with {@code data: [DONE]}. */
  void endStream() throws IOException;

  /** Ends a broken stream with an error event and no {@code [DONE]}; best effort. */
  void abortStream(ApiError error);
}
