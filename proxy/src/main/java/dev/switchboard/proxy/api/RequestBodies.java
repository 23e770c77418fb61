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

  /** Reads and drops up to {@code limit} bytes; whether the body ended within them. */
  private static boolean discard(InputStream in, long limit) throws java.io.IOException {
    byte[] scratch = new byte[8192];
    long left = limit + 1;
    int n;
    while ((n = in.read(scratch, 0, (int) Math.min(scratch.length, left))) > 0) {
      left -= n;
      if (left <= 0) {
        return false;
      }
    }
    return true;
  }

  static byte[] read(ServerRequest req, long limit, MemoryBudget.Lease lease)
      throws GrowingBuffer.TooLarge, MemoryBudget.Exhausted, Unreadable {
    var declared = req.headers().contentLength();
    if (declared.isPresent() && declared.getAsLong() > limit) {
      throw new GrowingBuffer.TooLarge();
    }
    // Not try-with-resources: closing the stream reads the entity to its end, which after a
    // malformed chunk waits for bytes that never come. A failed read closes the connection instead.
    InputStream in;
    byte[] body;
    try {
      in = req.content().inputStream();
      try {
        body = GrowingBuffer.read(in, limit, declared.isPresent() ? declared.getAsLong() : -1, lease);
      } catch (MemoryBudget.Exhausted e) {
        // Read the rest without keeping it (as nginx's lingering close does), so the client reads
        // the 503 and its Retry-After instead of a reset connection while it is still sending.
        if (!discard(in, limit)) {
          throw new GrowingBuffer.TooLarge();
        }
        in.close();
        throw e;
      }
      in.close();
      return body;
    } catch (GrowingBuffer.TooLarge | MemoryBudget.Exhausted e) {
      throw e;
    } catch (Exception e) {
      // IOException, UncheckedIOException, Helidon's DataReader exceptions, NumberFormatException
      // from a chunk size that is not hex: all mean the same to the client.
      throw new Unreadable();
    }
  }
}
