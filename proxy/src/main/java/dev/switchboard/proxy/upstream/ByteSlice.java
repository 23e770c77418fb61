package dev.switchboard.proxy.upstream;

import java.nio.charset.StandardCharsets;

/** A view of part of a byte array; valid until its producer reuses the array. */
public record ByteSlice(byte[] array, int offset, int length) {
  public static ByteSlice of(byte[] bytes) {
    return new ByteSlice(bytes, 0, bytes.length);
  }

  public static ByteSlice of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether the slice contains {@code needle} (ASCII). */
  public boolean contains(byte[] needle) {
    return indexOf(needle, 0) >= 0;
  }

  /** Index (relative to offset) of {@code needle} at or after {@code from}, or -1. */
  public int indexOf(byte[] needle, int from) {
    int last = length - needle.length;
    outer:
    for (int i = from; i <= last; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (array[offset + i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  public byte byteAt(int index) {
    return array[offset + index];
  }

  public byte[] copy() {
    byte[] out = new byte[length];
    System.arraycopy(array, offset, out, 0, length);
    return out;
  }

  public String utf8() {
    return new String(array, offset, length, StandardCharsets.UTF_8);
  }
}
