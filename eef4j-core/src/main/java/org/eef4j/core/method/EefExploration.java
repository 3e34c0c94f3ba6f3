package org.eef4j.core.method;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.trajectory.Trajectory;

/**
 * The episodes of one EEF exploration round (EEF.md phase 2): from the initial state of every training task, and from
 * the selected intermediate states of every failed expert trajectory, {@code rolloutsPerState} rollouts each. With M =
 * 5 and one rollout per state that is up to 6 simulations per task with a failed expert trajectory.
 *
 * <p>Episode ids are "{round}/{task}/s0/{r}" and "{round}/{expert id}/s{k}/{r}"; seeds derive from the options' seed and
 * the id, so a rerun plays the same episodes.
 */
public final class EefExploration {

  private EefExploration() {}

  public static List<EpisodeSpec> plan(
      String round, List<String> trainingTasks, List<Trajectory> expert, EefOptions options) {
    List<EpisodeSpec> out = new ArrayList<>();
    for (String task : trainingTasks) {
      for (int r = 0; r < options.rolloutsPerState(); r++) {
        String id = round + "/" + task + "/s0/" + r;
        out.add(EpisodeSpec.initial(id, task, seed(options.seed(), id)));
      }
    }
    for (Trajectory e : expert) {
      if (e.success()) {
        continue;
      }
      for (int k : EefStateSelection.prefixLengths(e.actionCount(), options.m())) {
        for (int r = 0; r < options.rolloutsPerState(); r++) {
          String id = round + "/" + e.id() + "/s" + k + "/" + r;
          out.add(EpisodeSpec.fromExpertPrefix(id, e, k, seed(options.seed(), id)));
        }
      }
    }
    return out;
  }

  /** The initial-state episodes only: RFT (k = 1) and RFT×k (k = 1 + M, compute-matched with EEF). */
  public static List<EpisodeSpec> planInitial(String round, List<String> trainingTasks, int k, long seed) {
    List<EpisodeSpec> out = new ArrayList<>();
    for (String task : trainingTasks) {
      for (int r = 0; r < k; r++) {
        String id = round + "/" + task + "/s0/" + r;
        out.add(EpisodeSpec.initial(id, task, seed(seed, id)));
      }
    }
    return out;
  }

  static long seed(long base, String id) {
    long h = base;
    for (int i = 0; i < id.length(); i++) {
      h = h * 0x100000001B3L ^ id.charAt(i);
    }
    return h;
  }
}
