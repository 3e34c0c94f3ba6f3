package org.eef4j.core.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.eef4j.core.eval.Evaluation;
import org.eef4j.core.eval.Skill;
import org.eef4j.core.eval.SkillUsage;
import org.eef4j.core.trajectory.Trajectory;

/**
 * A policy's result on the test tasks as one stage records it (test.eval.json): the evaluation (win rate, mean score,
 * per category, on the named test set) and the skills the policy used. A test task without a trajectory (an expert
 * file that lacks it) counts as a failure, so every method is scored over the same tasks.
 *
 * @param evaluation win rate and mean score, overall and per category
 * @param skills per skill, how many of the test actions showed it
 */
public record TestReport(Evaluation evaluation, Map<Skill, Integer> skills) {

  public TestReport {
    Objects.requireNonNull(evaluation, "evaluation");
    skills = new TreeMap<>(skills);
  }

  public static TestReport of(List<Trajectory> episodes, TaskSuite suite) {
    var byTask = new java.util.HashMap<String, Trajectory>();
    episodes.forEach(t -> byTask.put(t.taskId(), t));
    List<Trajectory> scored =
        suite.test().stream().map(task -> byTask.getOrDefault(task, Missing.of(task))).toList();
    return new TestReport(Evaluation.of(suite.name(), scored, suite::category), SkillUsage.of(episodes));
  }

  /** Stands in for a test task an expert has no trajectory for: reward 0. */
  private static final class Missing {
    static Trajectory of(String task) {
      return new Trajectory(
          "missing/" + task, task, org.eef4j.core.trajectory.Start.INITIAL,
          List.of(new org.eef4j.core.trajectory.Turn.Observation("(no trajectory)")), 0, false,
          org.eef4j.core.trajectory.Termination.MAX_STEPS);
    }
  }

  public int actions() {
    return skills.values().stream().mapToInt(Integer::intValue).sum();
  }
}
