package dev.switchboard.proxy.request;

/**
 * JSON bodies must be UTF-8 (RFC 8259 section 8.1). Checked before Jackson sees them, because
 * Jackson detects UTF-16 and UTF-32 on its own and then reports character offsets where the
 * parsers need byte offsets, and its field-name cache lets names with invalid bytes pass as
 * names it has seen: both were found by fuzzing, and both let a request reach the rewriter in a
 * shape it cannot splice (a 500, or invalid bytes forwarded upstream).
 */
public final class Utf8Bodies {
  private Utf8Bodies() {}

  /**
   * The offset of the first byte that is not well-formed UTF-8, or of a NUL among the first four
   * bytes (how UTF-16 and UTF-32 JSON begins, and what Jackson detects them by), or -1. A NUL later
   * on is Jackson's to refuse (JSON never holds one raw).
   */
  static int firstInvalid(byte[] b) {
    int i = 0;
    while (i < b.length) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        if (c == 0 && i < 4) {
          return i;
        }
        i++;
        continue;
      }
      int extra;
      int min;
      if (c >= 0xC2 && c <= 0xDF) {
        extra = 1;
        min = 0x80;
      } else if (c >= 0xE0 && c <= 0xEF) {
        extra = 2;
        min = 0x800;
      } else if (c >= 0xF0 && c <= 0xF4) {
        extra = 3;
        min = 0x10000;
      } else {
        return i;
      }
      int cp = c & (0x3F >> extra);
      for (int k = 1; k <= extra; k++) {
        if (i + k >= b.length) {
          return i;
        }
        int cc = b[i + k] & 0xFF;
        if ((cc & 0xC0) != 0x80) {
          return i;
        }
        cp = (cp << 6) | (cc & 0x3F);
      }
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return i;
      }
      i += extra + 1;
    }
    return -1;
  }

  public static void check(byte[] body) throws InvalidRequestException {
    int at = firstInvalid(body);
    if (at >= 0) {
      throw new InvalidRequestException("", "The request body is not UTF-8 JSON (byte " + at + "): send JSON encoded as UTF-8.");
    }
  }
}
