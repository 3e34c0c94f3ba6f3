package org.eef4j.core.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eef4j.core.agent.ActionKinds;
import org.eef4j.core.agent.ReactDialect;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;

/**
 * Counts the agent's actions by the kinds its environment names ({@link ActionKinds}): paging, going back, choosing
 * options, ... EEF's claim is that it learns navigation and recovery the expert's failures contain, and these counts on
 * the test set show it.
 */
public final class ActionKindCounts {

  private ActionKindCounts() {}

  /**
   * How many of the agent's actions (expert-prefix actions not counted) are of each kind, every kind named in the
   * environment's order (zero where none), replies read by the dialect's rule.
   */
  public static Map<String, Integer> of(List<Trajectory> episodes, ActionKinds kinds, ReactDialect dialect) {
    Map<String, Integer> out = new LinkedHashMap<>();
    kinds.names().forEach(k -> out.put(k, 0));
    if (out.isEmpty()) return Collections.unmodifiableMap(out);
    for (Trajectory t : episodes) {
      List<Turn> turns = t.turns();
      for (int i = 1; i < turns.size(); i += 2) {
        Turn.Action a = (Turn.Action) turns.get(i);
        if (a.producer() != Producer.AGENT) continue;
        String kind = kinds.of(dialect.parseAction(a.text()), turns.get(i - 1).text());
        if (!out.containsKey(kind)) {
          throw new IllegalStateException("action kind '" + kind + "' is not one the environment names: " + out.keySet());
        }
        out.merge(kind, 1, Integer::sum);
      }
    }
    return Collections.unmodifiableMap(out);
  }
}
