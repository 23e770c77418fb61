package dev.switchboard.proxy.memory;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a body whole, up to a limit, into a buffer that grows with the bytes actually received
 * and is paid for from a {@link MemoryBudget.Lease} before each growth. A declared length only
 * caps how far the buffer grows (so an honest body is read without a final copy); it never
 * decides how much is allocated before the bytes arrive.
 */
public final class GrowingBuffer {
  /** What a read may allocate before any byte has arrived. */
  static final int FIRST_CHUNK = 8 * 1024;

  /** The body was longer than the limit. */
  public static final class TooLarge extends Exception {
    public TooLarge() {
      super(null, null, false, false);
    }
  }

  private GrowingBuffer() {}

  /**
   * @param declaredLength the Content-Length, or -1 when the body is chunked or unknown
   * @return the body; it stays reserved on {@code lease} until the lease is closed
   */
  public static byte[] read(InputStream in, long limit, long declaredLength, MemoryBudget.Lease lease)
      throws IOException, TooLarge, MemoryBudget.Exhausted {
    long ceiling = declaredLength >= 0 && declaredLength <= limit ? declaredLength : limit + 1;
    int cap = (int) Math.min(Math.min(ceiling, FIRST_CHUNK), Integer.MAX_VALUE - 16);
    lease.reserve(cap);
    byte[] buf = new byte[cap];
    int size = 0;
    while (true) {
      if (size == buf.length) {
        if (size >= ceiling) {
          // Full at the declared length: one more byte tells whether the peer sent more than it said.
          int more = in.read();
          if (more < 0) {
            return buf;
          }
          ceiling = limit + 1;
          buf = grow(buf, size, ceiling, lease);
          buf[size++] = (byte) more;
          continue;
        }
        buf = grow(buf, size, ceiling, lease);
      }
      int n = in.read(buf, size, buf.length - size);
      if (n < 0) {
        break;
      }
      size += n;
      if (size > limit) {
        throw new TooLarge();
      }
    }
    if (size == buf.length) {
      return buf;
    }
    lease.reserve(size);
    byte[] exact = Arrays.copyOf(buf, size);
    lease.release(buf.length);
    return exact;
  }

  private static byte[] grow(byte[] buf, int size, long ceiling, MemoryBudget.Lease lease) throws MemoryBudget.Exhausted, TooLarge {
    long next = Math.min(Math.max((long) buf.length * 2, FIRST_CHUNK), ceiling);
    if (next > Integer.MAX_VALUE - 16) {
      throw new TooLarge();
    }
    if (next <= buf.length) {
      next = buf.length + 1L;
    }
    lease.reserve(next);
    byte[] bigger = Arrays.copyOf(buf, (int) next);
    lease.release(buf.length);
    return bigger;
  }
}
