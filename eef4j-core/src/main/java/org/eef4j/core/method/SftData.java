package org.eef4j.core.method;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingExamples;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;

/**
 * Behaviour cloning data (EEF phase 1, the SFT baseline): the expert's successful trajectories, every action turn
 * trained and everything else (prompt, observations) not.
 */
public final class SftData {

  private SftData() {}

  public static List<TrainingExample> build(List<Trajectory> expert, List<ChatMessage> trainingPrefix) {
    List<TrainingExample> out = new ArrayList<>();
    for (Trajectory t : expert) {
      if (t.success()) {
        out.add(TrainingExamples.of(allActionsTrained(t), trainingPrefix));
      }
    }
    return out;
  }

  /** The trajectory with every action turn trained. */
  static Trajectory allActionsTrained(Trajectory t) {
    return t.withTurns(
        t.turns().stream()
            .map(turn -> turn instanceof Turn.Action a ? (Turn) a.withTrained(true) : turn)
            .toList());
  }
}
