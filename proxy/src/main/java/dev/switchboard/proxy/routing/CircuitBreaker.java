package dev.switchboard.proxy.routing;

import java.time.Duration;

/**
 * Ejects a backend that keeps failing: after {@value #THRESHOLD} failures in a row it is open
 * (skipped) for a cooldown that starts at 5 s and doubles on every failed trial up to 2 min.
 * When the cooldown ends, one request is let through as a trial; a success closes the breaker.
 * A successful background probe ends a cooldown early.
 */
public final class CircuitBreaker {
  static final int THRESHOLD = 3;
  private static final long BASE_COOLDOWN = Duration.ofSeconds(5).toNanos();
  private static final long MAX_COOLDOWN = Duration.ofMinutes(2).toNanos();

  /** The breaker's state as reported in /admin/status. */
  public enum State { CLOSED, OPEN, HALF_OPEN }

  private int consecutiveFailures;
  private long openUntil;
  private long cooldown = BASE_COOLDOWN;
  private boolean trialInFlight;
  private State state = State.CLOSED;

  /** Whether a request may go to the backend now; in half-open state only the first caller may. */
  public synchronized boolean tryPass(long now) {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (now < openUntil) {
          return false;
        }
        state = State.HALF_OPEN;
        trialInFlight = true;
        return true;
      default:
        if (trialInFlight) {
          return false;
        }
        trialInFlight = true;
        return true;
    }
  }

  /** Whether the backend would be skipped now (without claiming a trial). */
  public synchronized boolean isEjected(long now) {
    return (state == State.OPEN && now < openUntil) || (state == State.HALF_OPEN && trialInFlight);
  }

  public synchronized void onSuccess() {
    consecutiveFailures = 0;
    cooldown = BASE_COOLDOWN;
    trialInFlight = false;
    state = State.CLOSED;
  }

  public synchronized void onFailure(long now) {
    consecutiveFailures++;
    if (state == State.HALF_OPEN) {
      cooldown = Math.min(cooldown * 2, MAX_COOLDOWN);
      open(now);
    } else if (state == State.CLOSED && consecutiveFailures >= THRESHOLD) {
      open(now);
    }
  }

  /** A call that ended without judging the backend (the client left, a 4xx): frees the trial slot. */
  public synchronized void onNeutral() {
    if (state == State.HALF_OPEN) {
      trialInFlight = false;
    }
  }

  /** A probe reached the backend: let the next request try it rather than wait out the cooldown. */
  public synchronized void onProbeSuccess(long now) {
    if (state == State.OPEN) {
      openUntil = Math.min(openUntil, now);
    }
  }

  private void open(long now) {
    state = State.OPEN;
    trialInFlight = false;
    openUntil = now + cooldown;
  }

  public synchronized State state(long now) {
    return state == State.OPEN && now >= openUntil ? State.HALF_OPEN : state;
  }

  public synchronized int consecutiveFailures() {
    return consecutiveFailures;
  }
}
