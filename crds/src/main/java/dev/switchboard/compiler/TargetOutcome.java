package dev.switchboard.compiler;

/**
 * Whether one target of a route resolved.
 *
 * @param backend the target's backend name (in the route's namespace)
 * @param model the backend model the target names (the route's model when it names none)
 * @param reason {@link Reasons#RESOLVED_REFS} when resolved, otherwise why not
 */
public record TargetOutcome(int index, String backend, String model, boolean resolved, String reason, String message) {}
