package org.eef4j.core.pipeline;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eef4j.core.agent.ActionKinds;
import org.eef4j.core.agent.ReactDialect;
import org.eef4j.core.eval.ActionKindCounts;
import org.eef4j.core.eval.Evaluation;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;

/**
 * A policy's result on the test tasks as one stage records it (test.eval.json): the evaluation (win rate, mean score,
 * per category, on the named test set) and the skills the policy used. A test task without a trajectory (an expert
 * file that lacks it) counts as a failure, so every method is scored over the same tasks.
 *
 * @param evaluation win rate and mean score, overall and per category
 * @param skills per kind of action the environment names ({@link ActionKinds}), in its order, how many of the test
 *     actions were of it
 * @param endings how the test episodes ended: bought (done), ran out of steps, or overflowed the policy's context;
 *     empty in files written before it was recorded
 */
public record TestReport(Evaluation evaluation, Map<String, Integer> skills, Map<Termination, Integer> endings) {

  public TestReport {
    Objects.requireNonNull(evaluation, "evaluation");
    skills = Collections.unmodifiableMap(new LinkedHashMap<>(skills)); // the environment's order: files are byte-stable
    Map<Termination, Integer> copy = new EnumMap<>(Termination.class);
    if (endings != null) copy.putAll(endings); // null: a file from before endings were recorded
    endings = Collections.unmodifiableMap(copy);
  }

  /** The report of the test episodes, actions counted by the kinds the environment names (replies read as ETO's). */
  public static TestReport of(List<Trajectory> episodes, TaskSuite suite, ActionKinds kinds) {
    var byTask = new java.util.HashMap<String, Trajectory>();
    episodes.forEach(t -> byTask.put(t.taskId(), t));
    List<Trajectory> scored =
        suite.test().stream().map(task -> byTask.getOrDefault(task, Missing.of(task))).toList();
    // every action of a test episode is the policy's own, the expert's included (its trajectories mark them EXPERT)
    List<Trajectory> asActed = episodes.stream().map(TestReport::actedByPolicy).toList();
    Map<Termination, Integer> endings = new EnumMap<>(Termination.class);
    episodes.forEach(t -> endings.merge(t.termination(), 1, Integer::sum));
    return new TestReport(Evaluation.of(suite.name(), scored, suite::category), ActionKindCounts.of(asActed, kinds, ReactDialect.ETO),
        endings);
  }

  private static Trajectory actedByPolicy(Trajectory t) {
    return t.withTurns(
        t.turns().stream()
            .map(turn -> turn instanceof Turn.Action a
                ? (Turn) new Turn.Action(a.text(), Producer.AGENT, a.trained(), a.tokens())
                : turn)
            .toList());
  }

  /** Stands in for a test task an expert has no trajectory for: reward 0. */
  private static final class Missing {
    static Trajectory of(String task) {
      return new Trajectory(
          "missing/" + task, task, org.eef4j.core.trajectory.Start.INITIAL,
          List.of(new org.eef4j.core.trajectory.Turn.Observation("(no trajectory)")), 0, false,
          Termination.MAX_STEPS);
    }
  }

  public int actions() {
    return skills.values().stream().mapToInt(Integer::intValue).sum();
  }
}
