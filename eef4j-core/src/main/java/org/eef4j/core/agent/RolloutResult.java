package org.eef4j.core.agent;

import java.util.List;
import org.eef4j.core.trajectory.Trajectory;

/** The trajectories of a run, in the order of the episode specs, and what the run spent. */
public record RolloutResult(List<Trajectory> trajectories, RolloutStats stats) {
  public RolloutResult {
    trajectories = List.copyOf(trajectories);
  }
}
