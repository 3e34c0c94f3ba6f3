package org.eef4j.core.trajectory;

import java.util.Objects;

/** The state an episode started from: the task's initial state, or a state reached by replaying an expert prefix. */
public sealed interface Start {

  /** How many expert actions were replayed before the agent took over (0 for the initial state). */
  int prefixActions();

  /** The task's initial state s0. */
  record Initial() implements Start {
    @Override
    public int prefixActions() {
      return 0;
    }
  }

  /**
   * The state after replaying the first {@code prefixActions} actions of an expert trajectory, for EEF's exploration
   * from intermediate states.
   *
   * @param expertTrajectoryId the {@link Trajectory#id()} of the expert trajectory replayed
   * @param prefixActions how many of its actions were replayed, at least 1
   */
  record ExpertPrefix(String expertTrajectoryId, int prefixActions) implements Start {
    public ExpertPrefix {
      Objects.requireNonNull(expertTrajectoryId, "expertTrajectoryId");
      if (prefixActions < 1) {
        throw new IllegalArgumentException("an expert prefix replays at least 1 action, got " + prefixActions);
      }
    }
  }

  Start INITIAL = new Initial();
}
