package org.eef4j.sciworld.expert;

import java.util.Objects;
import java.util.Set;
import org.eef4j.core.trajectory.Trajectory;

/**
 * One task played by the scripted expert.
 *
 * @param trajectory the ReAct trajectory, as the episode runner records it; its reward is the best score (0..1)
 * @param failures the failure modes that changed what the expert did (a drawn mode that could not trigger is absent)
 * @param goldLength the length of the simulator's gold action sequence for the task
 * @param stepLimit the task's step limit (ETO's max_steps.json)
 */
public record ExpertEpisode(Trajectory trajectory, Set<FailureMode> failures, int goldLength, int stepLimit) {

  public ExpertEpisode {
    Objects.requireNonNull(trajectory, "trajectory");
    failures = Set.copyOf(failures);
  }

  /** Whether the gold path fits in the step limit: the task is within the expert's reach. */
  public boolean reachable() {
    return goldLength <= stepLimit;
  }

  public boolean success() {
    return trajectory.success();
  }

  public double score() {
    return trajectory.reward();
  }
}
