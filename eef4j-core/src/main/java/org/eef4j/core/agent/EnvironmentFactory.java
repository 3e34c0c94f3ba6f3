package org.eef4j.core.agent;

/** Opens a fresh {@link Environment}; called once per episode, possibly from several threads at once. */
@FunctionalInterface
public interface EnvironmentFactory {
  Environment open();

  /** The kinds of action the environment names for the skill-usage report; none by default. */
  default ActionKinds actionKinds() {
    return ActionKinds.NONE;
  }
}
