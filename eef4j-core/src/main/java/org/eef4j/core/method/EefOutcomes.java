package org.eef4j.core.method;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eef4j.core.trajectory.Start;
import org.eef4j.core.trajectory.Trajectory;

/**
 * The exploration outcomes of one failed expert trajectory: for each explored state s_(p_i) (p_0 = 0, the initial state,
 * then the selected prefix lengths), whether some agent rollout from it succeeded, and those successes (the part of the
 * positive repository P that starts there).
 *
 * @param expert the failed expert trajectory
 * @param prefixLengths p_0 = 0, p_1 < p_2 < …: the explored states, as numbers of replayed expert actions
 * @param successes per state, the successful rollouts from it (empty list: the agent failed there, or none ran)
 */
public record EefOutcomes(Trajectory expert, List<Integer> prefixLengths, List<List<Trajectory>> successes) {

  public EefOutcomes {
    Objects.requireNonNull(expert, "expert");
    prefixLengths = List.copyOf(prefixLengths);
    successes = successes.stream().map(List::copyOf).toList();
    if (prefixLengths.isEmpty() || prefixLengths.getFirst() != 0) {
      throw new IllegalArgumentException("the first explored state is the initial state (prefix length 0)");
    }
    if (successes.size() != prefixLengths.size()) {
      throw new IllegalArgumentException(
          successes.size() + " success lists for " + prefixLengths.size() + " states of " + expert.id());
    }
    for (int i = 1; i < prefixLengths.size(); i++) {
      if (prefixLengths.get(i) <= prefixLengths.get(i - 1) || prefixLengths.get(i) > expert.actionCount()) {
        throw new IllegalArgumentException("prefix lengths of " + expert.id() + " must ascend within 1..T: " + prefixLengths);
      }
    }
  }

  /**
   * Gathers the outcomes of the rollouts that concern this expert trajectory: initial-state rollouts of its task count
   * for p_0 (the initial state is shared by every trajectory of the task), and rollouts from its own prefixes count for
   * the matching state. Rollouts from prefixes not in {@code prefixLengths} are ignored.
   */
  public static EefOutcomes collect(Trajectory expert, List<Integer> selected, List<Trajectory> rollouts) {
    List<Integer> prefixes = new ArrayList<>(selected.size() + 1);
    prefixes.add(0);
    prefixes.addAll(selected);
    List<List<Trajectory>> succ = new ArrayList<>();
    for (int i = 0; i < prefixes.size(); i++) {
      succ.add(new ArrayList<>());
    }
    for (Trajectory r : rollouts) {
      if (!r.success() || !r.taskId().equals(expert.taskId())) {
        continue;
      }
      int at =
          switch (r.start()) {
            case Start.Initial i -> 0;
            case Start.ExpertPrefix p ->
                p.expertTrajectoryId().equals(expert.id()) ? prefixes.indexOf(p.prefixActions()) : -1;
          };
      if (at >= 0) {
        succ.get(at).add(r);
      }
    }
    return new EefOutcomes(expert, prefixes, succ);
  }

  /** succ[i]: whether the agent succeeded from state i. */
  public boolean succeeded(int state) {
    return !successes.get(state).isEmpty();
  }

  public int states() {
    return prefixLengths.size();
  }

  /** The first state after {@code state} from which the agent succeeded, or -1. */
  public int nextSuccess(int state) {
    for (int k = state + 1; k < states(); k++) {
      if (succeeded(k)) {
        return k;
      }
    }
    return -1;
  }
}
