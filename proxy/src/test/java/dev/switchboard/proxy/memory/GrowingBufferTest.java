package dev.switchboard.proxy.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Buffers grow with the bytes that arrive, paid for from the budget, never from a declared length. */
class GrowingBufferTest {
  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return b;
  }

  /** A peer that announces a length and then sends a few bytes and stalls (here: ends). */
  private static InputStream oneByteThenNothing() {
    return new ByteArrayInputStream(new byte[] {'{'});
  }

  @Test
  void aDeclaredLengthReservesNothingBeyondTheFirstChunk() throws Exception {
    MemoryBudget budget = new MemoryBudget(64 * 1024);
    MemoryBudget.Lease lease = budget.lease();
    // 10 MiB announced against a budget of 64 KiB: fine, because only what arrives is paid for.
    byte[] body = GrowingBuffer.read(oneByteThenNothing(), 10 * 1024 * 1024, 10 * 1024 * 1024, lease);
    assertThat(body).hasSize(1);
    assertThat(lease.held()).isEqualTo(1);
    lease.close();
    assertThat(budget.used()).isZero();
  }

  @Test
  void honestBodiesComeBackWholeWithOrWithoutALength() throws Exception {
    MemoryBudget budget = new MemoryBudget(Long.MAX_VALUE);
    for (int size : new int[] {0, 1, 150, 8191, 8192, 8193, 100_000, 1_000_000}) {
      try (MemoryBudget.Lease lease = budget.lease()) {
        assertThat(GrowingBuffer.read(new ByteArrayInputStream(bytes(size)), 2_000_000, size, lease)).isEqualTo(bytes(size));
        assertThat(GrowingBuffer.read(new ByteArrayInputStream(bytes(size)), 2_000_000, -1, lease)).isEqualTo(bytes(size));
      }
    }
    assertThat(budget.used()).isZero();
  }

  @Test
  void aBodyOverTheLimitIsRefusedWhateverItDeclared() {
    MemoryBudget budget = new MemoryBudget(Long.MAX_VALUE);
    assertThatThrownBy(() -> GrowingBuffer.read(new ByteArrayInputStream(bytes(5000)), 100, -1, budget.lease()))
        .isInstanceOf(GrowingBuffer.TooLarge.class);
    // Declares 50 but sends 5000: more than declared and more than the limit.
    assertThatThrownBy(() -> GrowingBuffer.read(new ByteArrayInputStream(bytes(5000)), 100, 50, budget.lease()))
        .isInstanceOf(GrowingBuffer.TooLarge.class);
  }

  @Test
  void aFullBudgetRefusesTheGrowthInsteadOfAllocatingIt() throws IOException, GrowingBuffer.TooLarge {
    MemoryBudget budget = new MemoryBudget(100_000);
    MemoryBudget.Lease other = budget.lease();
    try {
      other.reserve(90_000);
    } catch (MemoryBudget.Exhausted e) {
      throw new AssertionError(e);
    }
    try (MemoryBudget.Lease lease = budget.lease()) {
      assertThatThrownBy(() -> GrowingBuffer.read(new ByteArrayInputStream(bytes(50_000)), 1_000_000, -1, lease))
          .isInstanceOf(MemoryBudget.Exhausted.class);
    }
    other.close();
    assertThat(budget.used()).isZero();
  }

  @Test
  void leasesReturnEverythingOnceAndRefuseAfterClose() throws Exception {
    MemoryBudget budget = new MemoryBudget(1000);
    MemoryBudget.Lease lease = budget.lease();
    lease.reserve(600);
    assertThatThrownBy(() -> budget.lease().reserve(500)).isInstanceOf(MemoryBudget.Exhausted.class);
    lease.release(100);
    assertThat(budget.used()).isEqualTo(500);
    lease.close();
    lease.close();
    assertThat(budget.used()).isZero();
    assertThatThrownBy(() -> lease.reserve(1)).isInstanceOf(MemoryBudget.Exhausted.class);
  }
}
