package dev.switchboard.compiler;

import java.util.List;

/**
 * What the compiler decided about one ChatBackend: the input of its Accepted condition.
 *
 * @param generation the metadata.generation that was compiled
 * @param reason {@link Reasons#ACCEPTED}, or the reason of the first problem
 * @param exposed the client-facing names {@code spec.exposeModels} serves ({@code <backend>/<model>})
 * @param exposeConflicts the names an older ModelRoute or ChatBackend already claims, each a problem
 */
public record BackendOutcome(ResourceRef ref, long generation, boolean accepted, String reason, String message, List<Problem> problems,
    List<String> exposed, List<Problem> exposeConflicts) {
  public BackendOutcome {
    problems = List.copyOf(problems);
    exposed = List.copyOf(exposed);
    exposeConflicts = List.copyOf(exposeConflicts);
  }

  public BackendOutcome(ResourceRef ref, long generation, boolean accepted, String reason, String message, List<Problem> problems) {
    this(ref, generation, accepted, reason, message, problems, List.of(), List.of());
  }

  /** With the names {@code spec.exposeModels} serves, and those an older claim kept from it. */
  BackendOutcome withExposure(List<String> names, List<Problem> conflicts) {
    return new BackendOutcome(ref, generation, accepted, reason, message, problems, names, conflicts);
  }
}
