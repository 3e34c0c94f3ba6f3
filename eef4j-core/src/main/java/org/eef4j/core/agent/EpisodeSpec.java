package org.eef4j.core.agent;

import java.util.Objects;
import org.eef4j.core.trajectory.Start;
import org.eef4j.core.trajectory.Trajectory;

/**
 * One episode to play.
 *
 * @param id the resulting trajectory's id
 * @param taskId the task to reset to
 * @param expert the expert trajectory whose first {@code prefixActions} actions are replayed first, or null
 * @param prefixActions 0 for the initial state, else 1..T of the expert's actions
 * @param seed the episode's sampling seed (each reply's seed derives from it and the step)
 */
public record EpisodeSpec(String id, String taskId, Trajectory expert, int prefixActions, long seed) {

  public EpisodeSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(taskId, "taskId");
    if (prefixActions < 0) {
      throw new IllegalArgumentException(id + ": prefixActions must be >= 0, got " + prefixActions);
    }
    if (prefixActions > 0) {
      if (expert == null) {
        throw new IllegalArgumentException(id + ": an expert prefix needs the expert trajectory");
      }
      if (!expert.taskId().equals(taskId)) {
        throw new IllegalArgumentException(
            id + ": expert trajectory " + expert.id() + " is for task " + expert.taskId() + ", not " + taskId);
      }
      if (prefixActions > expert.actionCount()) {
        throw new IllegalArgumentException(
            id + ": expert trajectory " + expert.id() + " has " + expert.actionCount() + " actions, asked to replay "
                + prefixActions);
      }
    }
  }

  public static EpisodeSpec initial(String id, String taskId, long seed) {
    return new EpisodeSpec(id, taskId, null, 0, seed);
  }

  /** Starts from state s_k of the expert trajectory: its first k actions replayed. */
  public static EpisodeSpec fromExpertPrefix(String id, Trajectory expert, int k, long seed) {
    return new EpisodeSpec(id, expert.taskId(), k == 0 ? null : expert, k, seed);
  }

  public Start start() {
    return prefixActions == 0 ? Start.INITIAL : new Start.ExpertPrefix(expert.id(), prefixActions);
  }
}
