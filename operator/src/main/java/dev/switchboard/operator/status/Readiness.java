package dev.switchboard.operator.status;

import dev.switchboard.api.v1alpha1.Condition;

/** Whether a backend can take traffic, as its Ready condition says it. */
public record Readiness(String status, String reason, String message) {
  public boolean isTrue() {
    return Condition.TRUE.equals(status);
  }

  public boolean isUnknown() {
    return Condition.UNKNOWN.equals(status);
  }
}
