package org.eef4j.core.agent;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;

/**
 * Rewrites a trajectory recorded in one ReAct dialect into another, so that trajectories people bring (AgentGym's, in
 * its own dialect) can be replayed and cloned in a run whose prompt speaks ETO's: each reply keeps its thought and
 * action in the target's shape, and each observation keeps the environment's text under the target's prefix (the
 * dialects' answers to a malformed reply or a refused action become the target's).
 */
public final class DialectTranslation {

  private DialectTranslation() {}

  /**
   * The trajectory in the target dialect; the same trajectory when the dialects agree.
   *
   * @throws IllegalArgumentException when a reply has no action by the source's rule, which the target could not
   *     express as the same step
   */
  public static Trajectory translate(Trajectory t, ReactDialect from, ReactDialect to) {
    if (from == to) {
      return t;
    }
    List<Turn> out = new ArrayList<>(t.turns().size());
    out.add(t.turns().getFirst());
    for (int i = 1; i < t.turns().size(); i++) {
      int step = (i + 1) / 2;
      out.add(switch (t.turns().get(i)) {
        case Turn.Action a -> {
          String action = from.parseAction(a.text()).orElseThrow(() -> new IllegalArgumentException(
              "trajectory " + t.id() + ": the reply of step " + step + " has no action in the " + from + " dialect"));
          yield new Turn.Action(to.reply(from.thought(a.text()), action), a.producer(), a.trained());
        }
        case Turn.Observation o -> new Turn.Observation(observation(o.text(), from, to, t.id()));
      });
    }
    return t.withTurns(out);
  }

  private static String observation(String text, ReactDialect from, ReactDialect to, String id) {
    if (!from.invalidFormat().isEmpty() && text.equals(from.invalidFormat())) {
      return to.invalidFormat();
    }
    if (text.equals(from.invalidAction())) {
      return to.invalidAction();
    }
    if (!text.startsWith(from.observationPrefix())) {
      throw new IllegalArgumentException(
          "trajectory " + id + ": an observation lacks the " + from + " prefix '" + from.observationPrefix() + "'");
    }
    return to.observationPrefix() + text.substring(from.observationPrefix().length());
  }
}
