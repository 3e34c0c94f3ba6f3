package org.eef4j.core.method;

import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.eef4j.core.trajectory.Trajectory;

/**
 * Which solution EEF trains on when an important state has several (EEF.md phase 3, OPEN): several rollouts per state,
 * or several failed expert trajectories of one task (several experts) each leading to a success.
 */
public enum SolutionSelection {
  /** The solution with the fewest actions in all (expert prefix and agent continuation); the first on a tie. Default. */
  SHORTEST,
  /** One at random, seeded by the run seed and the important state, so a rerun picks the same. */
  RANDOM,
  /** The first candidate in rollout order. */
  FIRST;

  /**
   * Picks one of the candidates.
   *
   * @param key names the important state (mixed into the seed for RANDOM)
   */
  public Trajectory select(List<Trajectory> candidates, long seed, String key) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("no solution to select for " + key);
    }
    return switch (this) {
      case FIRST -> candidates.getFirst();
      case SHORTEST -> candidates.stream().min(Comparator.comparingInt(Trajectory::actionCount)).orElseThrow();
      case RANDOM -> candidates.get(new SplittableRandom(seed ^ (long) key.hashCode() * 0x9E3779B97F4A7C15L)
          .nextInt(candidates.size()));
    };
  }
}
