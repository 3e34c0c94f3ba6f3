package org.eef4j.core.agent;

import java.util.Optional;

/**
 * A text environment an agent acts in, one episode at a time.
 *
 * <p>Contract: deterministic under replay. Resetting to the same task id and taking the same actions gives the same
 * observations, rewards and done flags. EEF relies on it to restart from a state in the middle of an expert's trajectory
 * by replaying the expert's first actions in a fresh environment.
 *
 * <p>An instance is used by one episode at a time, from one thread at a time; the runner opens one per episode through
 * an {@link EnvironmentFactory}, so an implementation needs no locking of its own.
 */
public interface Environment extends AutoCloseable {

  /** Starts the task and returns its first observation (WebShop: the search page with the instruction). */
  String reset(String taskId);

  /**
   * Takes one action, the text after "Action: " in the policy's reply (e.g. {@code search[red shoes]}).
   *
   * @throws InvalidActionException if the environment refuses the action outright
   */
  StepResult step(String action);

  /**
   * What the environment accepts now, for policies that decode only valid actions; empty when it does not say (the
   * default), and then the policy's reply is not constrained.
   */
  default Optional<ActionSpace> actionSpace() {
    return Optional.empty();
  }

  /** Frees what the episode held; the default does nothing. */
  @Override
  default void close() {}
}
