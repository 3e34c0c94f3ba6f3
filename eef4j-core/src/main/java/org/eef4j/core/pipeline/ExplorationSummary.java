package org.eef4j.core.pipeline;

import java.util.List;
import java.util.TreeSet;
import org.eef4j.core.eval.MaskCounts;
import org.eef4j.core.method.EefStats;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.Trajectory;

/**
 * What one iteration's exploration found and what training set was built from it (EEF.md per-iteration metrics).
 *
 * @param rollouts episodes played
 * @param successesFromInitial successful rollouts from initial states
 * @param successesFromIntermediate successful rollouts from states inside expert trajectories (EEF only)
 * @param solvedTasks training tasks with a successful rollout from any state, sorted
 * @param solvedFromInitialTasks training tasks with a successful rollout from the initial state, sorted
 * @param examples training examples built (ETO: preference pairs)
 * @param trainedActions action turns with loss mask 1 over the training set (ETO: 0)
 * @param maskedActions action turns kept in context with mask 0
 * @param eef EEF's own figures (|D_s0|, |D_r|, beneficial and harmful actions), null for other methods
 */
public record ExplorationSummary(
    int rollouts,
    int successesFromInitial,
    int successesFromIntermediate,
    List<String> solvedTasks,
    List<String> solvedFromInitialTasks,
    int examples,
    int trainedActions,
    int maskedActions,
    EefStats eef) {

  public ExplorationSummary {
    solvedTasks = List.copyOf(solvedTasks);
    solvedFromInitialTasks = List.copyOf(solvedFromInitialTasks);
  }

  /** @param promptMessages messages of the prompt's training prefix, whose "OK" is no masked action */
  static ExplorationSummary of(
      List<Trajectory> explored, List<TrainingExample> data, int promptMessages, int pairs, EefStats eef) {
    int fromInitial = 0;
    int fromIntermediate = 0;
    TreeSet<String> solved = new TreeSet<>();
    TreeSet<String> solvedInitial = new TreeSet<>();
    for (Trajectory t : explored) {
      if (!t.success()) {
        continue;
      }
      solved.add(t.taskId());
      if (t.fromInitialState()) {
        fromInitial++;
        solvedInitial.add(t.taskId());
      } else {
        fromIntermediate++;
      }
    }
    MaskCounts counts = MaskCounts.of(data, promptMessages);
    return new ExplorationSummary(
        explored.size(), fromInitial, fromIntermediate, List.copyOf(solved), List.copyOf(solvedInitial),
        pairs > 0 ? pairs : data.size(), counts.trained(), counts.masked(), eef);
  }
}
