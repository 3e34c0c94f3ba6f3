package org.eef4j.core.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eef4j.core.trajectory.Trajectory;

/**
 * Which training tasks each iteration solved, to show simplicity bias or its absence: how many were solved for the first
 * time, and how many remain never solved.
 */
public final class SolvedTasks {

  /**
   * One iteration's row.
   *
   * @param solved tasks solved in this iteration (any successful rollout, from any state)
   * @param newlySolved of which never solved in an earlier iteration
   * @param neverSolved tasks not solved in this or any earlier iteration
   */
  public record Row(int iteration, int solved, int newlySolved, int neverSolved) {}

  private SolvedTasks() {}

  /** The tasks with a successful trajectory; with {@code initialOnly}, counting initial-state rollouts only. */
  public static Set<String> solved(List<Trajectory> rollouts, boolean initialOnly) {
    Set<String> out = new HashSet<>();
    for (Trajectory t : rollouts) {
      if (t.success() && (!initialOnly || t.fromInitialState())) {
        out.add(t.taskId());
      }
    }
    return out;
  }

  /**
   * @param tasks every training task
   * @param solvedPerIteration the tasks solved in iteration 1, 2, … (see {@link #solved})
   */
  public static List<Row> track(Set<String> tasks, List<Set<String>> solvedPerIteration) {
    Set<String> ever = new HashSet<>();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < solvedPerIteration.size(); i++) {
      Set<String> now = new HashSet<>(solvedPerIteration.get(i));
      now.retainAll(tasks);
      int fresh = 0;
      for (String t : now) {
        if (ever.add(t)) {
          fresh++;
        }
      }
      rows.add(new Row(i + 1, now.size(), fresh, tasks.size() - ever.size()));
    }
    return rows;
  }

  /** Successful rollouts by where they started. */
  public record SuccessSources(int fromInitial, int fromIntermediate) {}

  public static SuccessSources sources(List<Trajectory> rollouts) {
    int initial = 0;
    int intermediate = 0;
    for (Trajectory t : rollouts) {
      if (t.success()) {
        if (t.fromInitialState()) {
          initial++;
        } else {
          intermediate++;
        }
      }
    }
    return new SuccessSources(initial, intermediate);
  }
}
