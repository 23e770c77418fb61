package dev.switchboard.operator.status;

import dev.switchboard.api.v1alpha1.Condition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Building and merging status conditions the Kubernetes way. */
public final class Conditions {
  private Conditions() {}

  /** A condition whose lastTransitionTime is still to be decided by {@link #merge}. */
  public static Condition of(String type, String status, String reason, String message, long generation) {
    return new Condition(type, status, reason, truncate(message), null, generation);
  }

  /**
   * The desired conditions with transition times: kept from the previous condition of the same
   * type when its status did not change, {@code now} otherwise. So a status rewritten with the
   * same facts is equal to the old one, and nothing is written.
   */
  public static List<Condition> merge(List<Condition> previous, List<Condition> desired, Instant now) {
    String stamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<Condition> out = new ArrayList<>(desired.size());
    for (Condition d : desired) {
      Optional<Condition> old = find(previous, d.type());
      String time = old.filter(o -> o.status() != null && o.status().equals(d.status()) && o.lastTransitionTime() != null)
          .map(Condition::lastTransitionTime)
          .orElse(stamp);
      out.add(new Condition(d.type(), d.status(), d.reason(), d.message(), time, d.observedGeneration()));
    }
    return out;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.type())).findFirst();
  }

  /** Kubernetes caps condition messages at 32768 characters. */
  private static String truncate(String message) {
    return message.length() <= 32_768 ? message : message.substring(0, 32_765) + "...";
  }
}
