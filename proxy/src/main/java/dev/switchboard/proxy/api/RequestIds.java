package dev.switchboard.proxy.api;

import io.helidon.webserver.http.ServerRequest;
import java.util.concurrent.ThreadLocalRandom;

/** The client's {@code x-request-id} when it is sane, otherwise a new random one. */
final class RequestIds {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  static String of(ServerRequest req) {
    String given = req.headers().first(HttpResponses.REQUEST_ID).orElse("");
    if (!given.isEmpty() && given.length() <= 128 && given.chars().allMatch(c -> c > 32 && c < 127)) {
      return given;
    }
    return create();
  }

  static String create() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] out = new char[32];
    long a = random.nextLong();
    long b = random.nextLong();
    for (int i = 0; i < 16; i++) {
      out[i] = HEX[(int) (a >>> (i * 4)) & 0xf];
      out[16 + i] = HEX[(int) (b >>> (i * 4)) & 0xf];
    }
    return new String(out);
  }
}
