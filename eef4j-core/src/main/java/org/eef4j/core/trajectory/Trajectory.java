package org.eef4j.core.trajectory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One episode: the task's first observation, then the policy's action turns and the environment's observations,
 * alternating, with the outcome.
 *
 * <p>The turns hold the episode only; the prompt's fixed prefix (the instruction, "OK", an in-context example) is added
 * when the trajectory becomes a conversation, so that one trajectory serves several prompts and formats.
 *
 * @param id unique in a run (e.g. "expert-gpt4/webshop_12"); an {@link Start.ExpertPrefix} refers to it
 * @param taskId the environment's task id (WebShop: "webshop_N", N the goal index)
 * @param start the state the episode started from; for an expert prefix the first {@code prefixActions} action turns are
 *     the replayed expert's
 * @param turns the episode's turns, starting with the first observation
 * @param reward the environment's reward in [0, 1], 0 when the step limit or a policy failure ended the episode
 * @param success whether the episode counts as solved (EEF and WebShop: reward == 1)
 * @param termination why the episode ended
 * @param failure for an episode the policy could not continue ({@link Termination#POLICY_FAILED}), the policy's reason
 *     (the context is full; a server kept failing); null otherwise
 */
public record Trajectory(
    String id, String taskId, Start start, List<Turn> turns, double reward, boolean success, Termination termination,
    String failure) {

  /** A trajectory without a failure reason. */
  public Trajectory(String id, String taskId, Start start, List<Turn> turns, double reward, boolean success,
      Termination termination) {
    this(id, taskId, start, turns, reward, success, termination, null);
  }

  public Trajectory {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(termination, "termination");
    turns = List.copyOf(turns);
    if (!(reward >= 0 && reward <= 1)) {
      throw new IllegalArgumentException("trajectory " + id + ": reward " + reward + " is outside [0, 1]");
    }
    if (success && termination != Termination.DONE) {
      throw new IllegalArgumentException("trajectory " + id + ": a success must end with the task done, not " + termination);
    }
    if (failure != null && termination != Termination.POLICY_FAILED) {
      throw new IllegalArgumentException("trajectory " + id + ": a failure reason belongs to a policy failure, not to "
          + termination);
    }
    if (turns.isEmpty() || !(turns.getFirst() instanceof Turn.Observation)) {
      throw new IllegalArgumentException("trajectory " + id + ": must start with the task's first observation");
    }
    for (int i = 1; i < turns.size(); i++) {
      boolean expectAction = i % 2 == 1;
      if ((turns.get(i) instanceof Turn.Action) != expectAction) {
        throw new IllegalArgumentException(
            "trajectory " + id + ": turn " + i + " should be " + (expectAction ? "an action" : "an observation")
                + " (observations and actions alternate)");
      }
    }
    int actions = turns.size() / 2;
    if (start.prefixActions() > actions) {
      throw new IllegalArgumentException(
          "trajectory " + id + ": start replays " + start.prefixActions() + " expert actions but has only " + actions);
    }
    for (int i = 0; i < start.prefixActions(); i++) {
      if (((Turn.Action) turns.get(2 * i + 1)).producer() != Producer.EXPERT) {
        throw new IllegalArgumentException("trajectory " + id + ": prefix action " + i + " is not the expert's");
      }
    }
  }

  /** The action turns in order. */
  public List<Turn.Action> actions() {
    List<Turn.Action> out = new ArrayList<>(turns.size() / 2);
    for (Turn t : turns) {
      if (t instanceof Turn.Action a) {
        out.add(a);
      }
    }
    return out;
  }

  /** T, the number of actions (steps) taken. */
  public int actionCount() {
    return turns.size() / 2;
  }

  /** The i-th action turn (0-based). */
  public Turn.Action action(int i) {
    return (Turn.Action) turns.get(2 * i + 1);
  }

  /** The first observation, which states the task. */
  public String firstObservation() {
    return turns.getFirst().text();
  }

  /** The turns up to state s_k: the first observation and the first k (action, observation) pairs. */
  public List<Turn> prefixTurns(int k) {
    if (k < 0 || k > actionCount()) {
      throw new IndexOutOfBoundsException("trajectory " + id + " has " + actionCount() + " actions, asked " + k);
    }
    return turns.subList(0, Math.min(turns.size(), 2 * k + 1));
  }

  public Trajectory withTurns(List<Turn> newTurns) {
    return new Trajectory(id, taskId, start, newTurns, reward, success, termination, failure);
  }

  public Trajectory withId(String newId) {
    return new Trajectory(newId, taskId, start, turns, reward, success, termination, failure);
  }

  /** True when the episode started from the task's initial state. */
  public boolean fromInitialState() {
    return start instanceof Start.Initial;
  }
}
