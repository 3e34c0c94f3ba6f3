package org.eef4j.core.method;

import java.util.ArrayList;
import java.util.List;

/**
 * Which intermediate states of a failed expert trajectory EEF explores from (EEF.md phase 2): M states evenly spaced at
 * interval l = floor(T / (M + 1)), i.e. s_l, s_2l, …, s_Ml, where s_k is the state after the expert's first k actions.
 *
 * <p>The paper's formula gives l = 0 when T < M + 1, which would explore s0 M more times. Here l is at least 1 and states
 * at or past s_T are dropped (s_T is where the expert's episode ended), so a short trajectory yields the states s_1 …
 * s_(T−1) and a trajectory of one action none. For T ≥ M + 1 this is exactly the paper's rule, since M·l < T.
 */
public final class EefStateSelection {

  private EefStateSelection() {}

  /**
   * The prefix lengths l, 2l, …, Ml (ascending, each in 1..T−1).
   *
   * @param actions T, the expert trajectory's number of actions
   * @param m M, how many states to pick
   */
  public static List<Integer> prefixLengths(int actions, int m) {
    if (actions < 0) {
      throw new IllegalArgumentException("T must be >= 0, got " + actions);
    }
    if (m < 1) {
      throw new IllegalArgumentException("M must be >= 1, got " + m);
    }
    int l = Math.max(1, actions / (m + 1));
    List<Integer> out = new ArrayList<>(m);
    for (int i = 1; i <= m && i * l < actions; i++) {
      out.add(i * l);
    }
    return out;
  }
}
