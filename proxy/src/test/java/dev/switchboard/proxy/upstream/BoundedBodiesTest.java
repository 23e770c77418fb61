package dev.switchboard.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BoundedBodiesTest {
  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) 'x');
    return b;
  }

  @Test
  void readsDeclaredAndChunkedBodiesWhole() throws IOException {
    assertThat(BoundedBodies.read(new ByteArrayInputStream(bytes(150)), 1000, 150)).hasSize(150);
    assertThat(BoundedBodies.read(new ByteArrayInputStream(bytes(5000)), 10_000, -1)).hasSize(5000);
    assertThat(BoundedBodies.read(new ByteArrayInputStream(new byte[0]), 10, 0)).isEmpty();
  }

  @Test
  void returnsOneByteMoreThanTheLimitWhenTheBodyIsLonger() throws IOException {
    assertThat(BoundedBodies.read(new ByteArrayInputStream(bytes(5000)), 100, -1)).hasSize(101);
    // A body longer than it declared is still caught.
    assertThat(BoundedBodies.read(new ByteArrayInputStream(bytes(5000)), 100, 50)).hasSize(101);
  }

  @Test
  void aBodyShorterThanDeclaredIsReturnedAsReceived() throws IOException {
    assertThat(BoundedBodies.read(new ByteArrayInputStream(bytes(40)), 100, 50)).hasSize(40);
  }
}
