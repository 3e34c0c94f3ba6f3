package org.eef4j.core.method;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Start;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;

/**
 * EEF's loss-mask rule for a solution (EEF.md phase 3), in one place. A solution is a successful rollout from state
 * s_(p_k) of a failed expert trajectory, used for an important state s_(p_j) (p_j ≤ p_k). Its training example keeps
 * the full context from s0, and
 *
 * <ul>
 *   <li>expert actions before the important state: potentially harmful ones mask 0 (they stay in the context so the
 *       agent learns to recover from where they lead, without learning to go there), beneficial ones mask 1, neutral
 *       ones as {@link EefOptions#neutralExpertActions()} says;
 *   <li>expert actions from the important state up to s_(p_k): mask 1, being the beneficial actions that carry the
 *       agent from a failing state to a succeeding one;
 *   <li>the agent's successful continuation: mask 1;
 *   <li>observations: never trained (they are not action turns).
 * </ul>
 *
 * With {@code maskHarmful} off (the "no masking" ablation) harmful actions get mask 1 too.
 */
public final class EefMasking {

  private EefMasking() {}

  public static Trajectory apply(
      Trajectory solution, EefClassification classification, int importantPrefix, EefOptions options) {
    if (!(solution.start() instanceof Start.ExpertPrefix p) || p.prefixActions() < importantPrefix) {
      throw new IllegalArgumentException(
          "solution " + solution.id() + " must start from an expert prefix at or after the important state s_"
              + importantPrefix);
    }
    List<Turn> turns = new ArrayList<>(solution.turns().size());
    int action = 0;
    for (Turn t : solution.turns()) {
      if (t instanceof Turn.Action a) {
        boolean trained;
        if (a.producer() == Producer.AGENT || action >= importantPrefix) {
          trained = true;
        } else {
          trained =
              switch (classification.label(action)) {
                case HARMFUL -> !options.maskHarmful();
                case BENEFICIAL -> true;
                case NEUTRAL -> options.neutralExpertActions() == EefOptions.NeutralActions.TRAIN;
              };
        }
        turns.add(a.withTrained(trained));
        action++;
      } else {
        turns.add(t);
      }
    }
    return solution.withTurns(turns);
  }
}
