package dev.switchboard.proxy.upstream;

import java.io.IOException;

/** A stream reader stopped because a limit was reached, not because the connection broke. */
final class StreamLimitReached extends IOException {
  private final boolean overloaded;

  StreamLimitReached(String message, boolean overloaded) {
    super(message, null);
    this.overloaded = overloaded;
  }

  /** Whether the process's memory budget, rather than a per-stream limit, was the one reached. */
  boolean overloaded() {
    return overloaded;
  }
}
