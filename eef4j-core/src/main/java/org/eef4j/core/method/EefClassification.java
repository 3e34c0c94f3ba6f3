package org.eef4j.core.method;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * EEF's reading of the success vector (EEF.md phase 3), in one place. For consecutive explored states i and i+1, the
 * expert actions a_(p_i) … a_(p_(i+1)−1) between them are
 *
 * <ul>
 *   <li>beneficial when the agent failed from s_(p_i) but succeeded from s_(p_(i+1));
 *   <li>potentially harmful when it succeeded from s_(p_i) but failed from s_(p_(i+1)), which makes s_(p_(i+1)) a
 *       recovery state;
 *   <li>neutral otherwise, and so are the actions after the last explored state.
 * </ul>
 *
 * @param labels one label per expert action
 * @param recoveryStates the indices (into the explored states) of the recovery states, ascending
 */
public record EefClassification(List<ActionLabel> labels, List<Integer> recoveryStates) {

  public EefClassification {
    labels = List.copyOf(labels);
    recoveryStates = List.copyOf(recoveryStates);
  }

  public static EefClassification of(EefOutcomes o) {
    ActionLabel[] labels = new ActionLabel[o.expert().actionCount()];
    Arrays.fill(labels, ActionLabel.NEUTRAL);
    List<Integer> recovery = new ArrayList<>();
    for (int i = 0; i + 1 < o.states(); i++) {
      boolean from = o.succeeded(i);
      boolean to = o.succeeded(i + 1);
      ActionLabel label =
          !from && to ? ActionLabel.BENEFICIAL : from && !to ? ActionLabel.HARMFUL : ActionLabel.NEUTRAL;
      Arrays.fill(labels, o.prefixLengths().get(i), o.prefixLengths().get(i + 1), label);
      if (label == ActionLabel.HARMFUL) {
        recovery.add(i + 1);
      }
    }
    return new EefClassification(Arrays.asList(labels), recovery);
  }

  public ActionLabel label(int action) {
    return labels.get(action);
  }
}
