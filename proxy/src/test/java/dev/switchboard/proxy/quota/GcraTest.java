package dev.switchboard.proxy.quota;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GcraTest {
  private static final long SECOND = 1_000_000;

  @Test
  void aMinutesLimitPassesAtOnceThenComesBackSteadily() {
    long now = 1_000 * SECOND;
    long tat = 0;
    for (int i = 0; i < 10; i++) {
      Gcra.Decision d = Gcra.take(tat, now, 10, 1);
      assertThat(d.allowed()).as("request " + i).isTrue();
      tat = d.tat();
    }
    Gcra.Decision eleventh = Gcra.take(tat, now, 10, 1);
    assertThat(eleventh.allowed()).isFalse();
    assertThat(eleventh.retryAfterMicros()).isEqualTo(6 * SECOND);
    assertThat(Gcra.take(tat, now + 6 * SECOND, 10, 1).allowed()).as("one interval later, one more").isTrue();
    assertThat(Gcra.take(tat, now + 5 * SECOND, 10, 1).allowed()).isFalse();
  }

  @Test
  void aBurstAcrossAMinuteBoundaryNeverPassesTwiceTheLimit() {
    long end = 59_900_000; // just before a fixed window would reset
    long tat = 0;
    int passed = 0;
    for (long t : new long[] {end, end + 200_000}) { // 100 requests at 59.9 s, 100 more at 60.1 s
      for (int i = 0; i < 100; i++) {
        Gcra.Decision d = Gcra.take(tat, t, 10, 1);
        if (d.allowed()) {
          tat = d.tat();
          passed++;
        }
      }
    }
    assertThat(passed).isEqualTo(10);
  }

  @Test
  void tokensAreReservedAndSettledFromRealUsage() {
    long now = 1_000 * SECOND;
    Gcra.Decision first = Gcra.take(0, now, 1000, 900);
    assertThat(first.allowed()).isTrue();
    assertThat(Gcra.take(first.tat(), now, 1000, 900).allowed()).as("the reservation holds the minute").isFalse();
    long settled = Gcra.adjust(first.tat(), now, 1000, 20 - 900); // the answer used 20 tokens
    assertThat(Gcra.take(settled, now, 1000, 900).allowed()).as("what was not used comes back").isTrue();
    assertThat(Gcra.adjust(first.tat(), now, 1000, -5000)).as("never below an empty cell").isEqualTo(now);
    assertThat(Gcra.take(0, now, 1000, 5000).allowed()).as("one request larger than the limit passes an idle minute").isTrue();
  }
}
