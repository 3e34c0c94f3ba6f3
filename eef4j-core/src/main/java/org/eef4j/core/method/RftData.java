package org.eef4j.core.method;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingExamples;
import org.eef4j.core.trajectory.Trajectory;

/**
 * Rejection-sampling fine-tuning data: the agent's successful rollouts from initial states (rollouts from expert
 * prefixes are EEF's business, not RFT's), all action turns trained.
 */
public final class RftData {

  private RftData() {}

  /** The kept successes, in the order of the input (by first appearance of their task for SHORTEST_PER_TASK). */
  public static List<Trajectory> select(List<Trajectory> rollouts, RftKeep keep) {
    Map<String, Trajectory> best = new LinkedHashMap<>();
    List<Trajectory> all = new ArrayList<>();
    for (Trajectory t : rollouts) {
      if (!t.success() || !t.fromInitialState()) {
        continue;
      }
      all.add(t);
      best.merge(t.taskId(), t, (old, neu) -> neu.actionCount() < old.actionCount() ? neu : old);
    }
    return switch (keep) {
      case ALL -> all;
      case SHORTEST_PER_TASK -> List.copyOf(best.values());
    };
  }

  public static List<TrainingExample> build(
      List<Trajectory> rollouts, RftKeep keep, List<ChatMessage> trainingPrefix) {
    return select(rollouts, keep).stream()
        .map(t -> TrainingExamples.of(SftData.allActionsTrained(t), trainingPrefix))
        .toList();
  }
}
