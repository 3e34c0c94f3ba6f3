package org.eef4j.webshop.expert;

import java.util.Objects;
import java.util.Set;
import org.eef4j.core.trajectory.Trajectory;

/**
 * One task played by the scripted expert, with what a report needs to explain its outcome.
 *
 * @param trajectory the ReAct trajectory (producer EXPERT), as the episode runner would have recorded it
 * @param failures the failure modes that changed what the expert did (a drawn mode that could not trigger is absent)
 * @param targetPage the results page the target is on in the expert's last search, 0 when its searches missed it
 * @param stepsNeeded the steps the failure-free plan takes (searches, paging, opening, options, buying), or -1 when
 *     the searches missed the target
 * @param targetReward the reward of buying the target with the options the instruction names: 1 except where the
 *     original reward cannot be met by them (e.g. a colour word hidden in "rectangular")
 */
public record ExpertEpisode(
    Trajectory trajectory, Set<FailureMode> failures, int targetPage, int stepsNeeded, double targetReward) {

  public ExpertEpisode {
    Objects.requireNonNull(trajectory, "trajectory");
    failures = Set.copyOf(failures);
  }

  /** Whether the failure-free plan fits in {@code maxSteps}: the task is within the rules' reach. */
  public boolean reachable(int maxSteps) {
    return stepsNeeded > 0 && stepsNeeded <= maxSteps;
  }

  public boolean success() {
    return trajectory.success();
  }
}
