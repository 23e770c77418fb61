package dev.switchboard.compiler;

import java.util.List;

/**
 * What the compiler decided about one ChatBackend: the input of its Accepted condition.
 *
 * @param generation the metadata.generation that was compiled
 * @param reason {@link Reasons#ACCEPTED}, or the reason of the first problem
 */
public record BackendOutcome(ResourceRef ref, long generation, boolean accepted, String reason, String message, List<Problem> problems) {
  public BackendOutcome {
    problems = List.copyOf(problems);
  }
}
