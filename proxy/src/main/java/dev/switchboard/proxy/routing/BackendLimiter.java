package dev.switchboard.proxy.routing;

import dev.switchboard.config.LimitConfig;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * The backend's {@code limits}, per proxy: requests in flight, requests per minute and tokens
 * per minute. Token limits are charged after an answer (its usage is known only then) and block
 * new requests while the minute's budget is spent.
 */
public final class BackendLimiter {
  private final Semaphore concurrent;
  private final TokenBucket requests;
  private final TokenBucket tokens;

  public BackendLimiter(LimitConfig limits) {
    this.concurrent = limits.maxConcurrent() > 0 ? new Semaphore(limits.maxConcurrent()) : null;
    this.requests = limits.requestsPerMinute() > 0 ? new TokenBucket(limits.requestsPerMinute()) : null;
    this.tokens = limits.tokensPerMinute() > 0 ? new TokenBucket(limits.tokensPerMinute()) : null;
  }

  /** A permit to send one request, or null when a limit is reached. */
  public Permit tryAcquire() {
    if (tokens != null && !tokens.hasAny()) {
      return null;
    }
    if (concurrent != null && !concurrent.tryAcquire()) {
      return null;
    }
    if (requests != null && !requests.tryTake(1)) {
      if (concurrent != null) {
        concurrent.release();
      }
      return null;
    }
    return new Permit();
  }

  /** How long until a request would likely be allowed again. */
  public Duration retryAfter() {
    long millis = 1000;
    if (requests != null) {
      millis = Math.max(millis, requests.millisUntilAvailable());
    }
    if (tokens != null) {
      millis = Math.max(millis, tokens.millisUntilAvailable());
    }
    return Duration.ofMillis(millis);
  }

  /** Held while a request is in flight; close it when the answer is complete. */
  public final class Permit implements AutoCloseable {
    private boolean released;

    public void chargeTokens(long count) {
      if (tokens != null && count > 0) {
        tokens.take(count);
      }
    }

    @Override
    public void close() {
      if (!released && concurrent != null) {
        concurrent.release();
      }
      released = true;
    }
  }

  /** A bucket that refills its whole capacity over a minute, continuously. */
  static final class TokenBucket {
    private final double capacity;
    private final double perNano;
    private double available;
    private long last = System.nanoTime();

    TokenBucket(long perMinute) {
      this.capacity = perMinute;
      this.perNano = perMinute / 60e9;
      this.available = perMinute;
    }

    synchronized boolean tryTake(long n) {
      refill();
      if (available >= n) {
        available -= n;
        return true;
      }
      return false;
    }

    synchronized void take(long n) {
      refill();
      available -= n; // may go negative: the next requests wait until it is paid back
    }

    synchronized boolean hasAny() {
      refill();
      return available >= 1;
    }

    synchronized long millisUntilAvailable() {
      refill();
      return available >= 1 ? 0 : (long) Math.ceil((1 - available) / perNano / 1e6);
    }

    private void refill() {
      long now = System.nanoTime();
      available = Math.min(capacity, available + (now - last) * perNano);
      last = now;
    }
  }
}
