package dev.switchboard.proxy.api;

import dev.switchboard.proxy.memory.GrowingBuffer;
import dev.switchboard.proxy.memory.MemoryBudget;
import io.helidon.webserver.http.ServerRequest;
import java.io.InputStream;

/**
 * Reads a request body up to a limit into memory paid for from the request's lease as the bytes
 * arrive. A body that cannot be read for any reason (a client that hangs up, a malformed chunk)
 * is one kind of failure, so no exception from the server's decoding escapes as a 500.
 */
final class RequestBodies {
  /** The body could not be read: the connection broke or its framing was malformed. */
  static final class Unreadable extends Exception {
    Unreadable() {
      super(null, null, false, false);
    }
  }

  private RequestBodies() {}

  static byte[] read(ServerRequest req, long limit, MemoryBudget.Lease lease)
      throws GrowingBuffer.TooLarge, MemoryBudget.Exhausted, Unreadable {
    var declared = req.headers().contentLength();
    if (declared.isPresent() && declared.getAsLong() > limit) {
      throw new GrowingBuffer.TooLarge();
    }
    try (InputStream in = req.content().inputStream()) {
      return GrowingBuffer.read(in, limit, declared.isPresent() ? declared.getAsLong() : -1, lease);
    } catch (GrowingBuffer.TooLarge | MemoryBudget.Exhausted e) {
      throw e;
    } catch (Exception e) {
      // IOException, UncheckedIOException, Helidon's DataReader exceptions, NumberFormatException
      // from a chunk size that is not hex: all mean the same to the client.
      throw new Unreadable();
    }
  }
}
