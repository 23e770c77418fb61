package dev.switchboard.compiler;

import java.util.List;

/**
 * What the compiler decided about one ClientKey: the input of its Ready condition.
 *
 * @param reason {@link Reasons#ACCEPTED}, or the reason of the first problem
 * @param secretName the Secret the key is read from (spec.secretRef's, or the generated one)
 * @param unpriced models this client can reach through a target without pricing: its spend there counts as $0
 */
public record ClientKeyOutcome(ResourceRef ref, long generation, boolean accepted, String reason, String message,
    String secretName, List<String> unpriced, List<Problem> problems) {
  public ClientKeyOutcome {
    unpriced = List.copyOf(unpriced);
    problems = List.copyOf(problems);
  }
}
