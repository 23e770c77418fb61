package dev.switchboard.compiler;

import java.util.List;

/**
 * What the compiler decided about one ModelRoute: the input of its Accepted and ResolvedRefs
 * conditions and of its per-target status.
 *
 * @param served whether the route is in the compiled config (accepted with at least one usable target)
 */
public record RouteOutcome(
    ResourceRef ref,
    long generation,
    boolean accepted,
    String reason,
    String message,
    boolean refsResolved,
    String refsReason,
    String refsMessage,
    boolean served,
    List<TargetOutcome> targets,
    List<Problem> problems) {
  public RouteOutcome {
    targets = List.copyOf(targets);
    problems = List.copyOf(problems);
  }
}
