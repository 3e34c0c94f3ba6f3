package org.eef4j.core.testing;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Start;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;

/** Hand-made trajectories for tests: actions named a0, a1, … so that tests can tell which turn is which. */
public final class Trajectories {

  private Trajectories() {}

  /** The reply text of action {@code name}. */
  public static String reply(String name) {
    return "Thought: I think so.\nAction: click[" + name + "]";
  }

  /** An expert trajectory of T actions "a0".."a{T-1}" on the task. */
  public static Trajectory expert(String id, String taskId, int actions, double reward) {
    List<Turn> turns = new ArrayList<>();
    turns.add(new Turn.Observation("task " + taskId));
    for (int i = 0; i < actions; i++) {
      turns.add(new Turn.Action(reply("a" + i), Producer.EXPERT, true));
      turns.add(new Turn.Observation("Observation:\nafter a" + i));
    }
    return new Trajectory(id, taskId, Start.INITIAL, turns, reward, reward == 1.0, Termination.DONE);
  }

  /** An agent rollout from state s_k of the expert trajectory: its first k actions, then agent actions "b0".. . */
  public static Trajectory fromPrefix(String id, Trajectory expert, int k, int agentActions, boolean success) {
    List<Turn> turns = new ArrayList<>(expert.prefixTurns(k));
    for (int i = 0; i < agentActions; i++) {
      turns.add(new Turn.Action(reply("b" + i), Producer.AGENT, true));
      turns.add(new Turn.Observation("Observation:\nafter b" + i));
    }
    Start start = k == 0 ? Start.INITIAL : new Start.ExpertPrefix(expert.id(), k);
    return new Trajectory(
        id, expert.taskId(), start, turns, success ? 1.0 : 0.0, success,
        success ? Termination.DONE : Termination.MAX_STEPS);
  }

  /** An agent rollout from the initial state of a task. */
  public static Trajectory agent(String id, String taskId, int actions, double reward) {
    List<Turn> turns = new ArrayList<>();
    turns.add(new Turn.Observation("task " + taskId));
    for (int i = 0; i < actions; i++) {
      turns.add(new Turn.Action(reply("b" + i), Producer.AGENT, true));
      turns.add(new Turn.Observation("Observation:\nafter b" + i));
    }
    return new Trajectory(id, taskId, Start.INITIAL, turns, reward, reward == 1.0,
        reward > 0 ? Termination.DONE : Termination.MAX_STEPS);
  }
}
