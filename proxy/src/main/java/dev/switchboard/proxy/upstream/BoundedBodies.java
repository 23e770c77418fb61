package dev.switchboard.proxy.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads an HTTP body whole, up to a limit, allocating about what the body needs. A plain
 * {@code readNBytes(limit)} reserves a 16 KiB buffer for every body, which for small chats was
 * most of the proxy's allocation per request.
 */
public final class BoundedBodies {
  private BoundedBodies() {}

  /**
   * @param declaredLength the Content-Length, or -1 when the body is chunked
   * @return the body, or its first {@code limit + 1} bytes when it is longer than {@code limit}
   */
  public static byte[] read(InputStream in, int limit, long declaredLength) throws IOException {
    if (declaredLength >= 0 && declaredLength <= limit) {
      byte[] body = new byte[(int) declaredLength];
      int n = in.readNBytes(body, 0, body.length);
      if (n < body.length) {
        return Arrays.copyOf(body, n);
      }
      int more = in.read();
      if (more < 0) {
        return body;
      }
      // More than declared: keep reading to tell whether it exceeds the limit.
      ByteArrayOutputStream all = new ByteArrayOutputStream(body.length + 1024);
      all.write(body);
      all.write(more);
      return rest(in, all, limit);
    }
    return rest(in, new ByteArrayOutputStream(1024), limit);
  }

  private static byte[] rest(InputStream in, ByteArrayOutputStream into, int limit) throws IOException {
    byte[] buffer = new byte[2048];
    int n;
    while (into.size() <= limit && (n = in.read(buffer, 0, Math.min(buffer.length, limit + 1 - into.size()))) > 0) {
      into.write(buffer, 0, n);
    }
    return into.toByteArray();
  }
}
