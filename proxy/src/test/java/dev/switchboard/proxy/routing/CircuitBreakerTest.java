package dev.switchboard.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void opensAfterThreeFailuresLetsOneTrialThroughAndBacksOffOnFailedTrials() {
    CircuitBreaker b = new CircuitBreaker();
    long t = 0;
    b.onFailure(t);
    b.onFailure(t);
    assertThat(b.tryPass(t)).isTrue();
    b.onFailure(t);
    assertThat(b.state(t)).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(b.tryPass(t + 4 * SECOND)).isFalse();
    assertThat(b.tryPass(t + 5 * SECOND)).as("the trial").isTrue();
    assertThat(b.tryPass(t + 5 * SECOND)).as("only one trial at a time").isFalse();
    b.onFailure(t + 5 * SECOND);
    assertThat(b.tryPass(t + 14 * SECOND)).as("cooldown doubled to 10s").isFalse();
    assertThat(b.tryPass(t + 15 * SECOND)).isTrue();
    b.onSuccess();
    assertThat(b.state(t + 15 * SECOND)).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(b.tryPass(t + 15 * SECOND)).isTrue();
  }

  @Test
  void aSuccessfulProbeEndsTheCooldownAndNeutralOutcomesFreeTheTrial() {
    CircuitBreaker b = new CircuitBreaker();
    for (int i = 0; i < 3; i++) {
      b.onFailure(0);
    }
    assertThat(b.isEjected(SECOND)).isTrue();
    b.onProbeSuccess(SECOND);
    assertThat(b.tryPass(SECOND)).isTrue();
    b.onNeutral();
    assertThat(b.tryPass(SECOND)).as("a 4xx says nothing about the backend").isTrue();
  }
}
