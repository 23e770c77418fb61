package dev.switchboard.validation;

/** Told of every CEL rule evaluation; tests use it to prove each rule both passes and fails somewhere. */
@FunctionalInterface
public interface RuleObserver {
  RuleObserver NONE = (rule, passed) -> {};

  void evaluated(CelRule rule, boolean passed);
}
