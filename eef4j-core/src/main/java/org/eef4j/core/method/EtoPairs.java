package org.eef4j.core.method;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExamples;
import org.eef4j.core.trajectory.Trajectory;

/**
 * ETO's preference pairs (Song et al. 2024; ETO:construct_preference.py), for the ETO baseline's DPO stage.
 *
 * <p>For every task with both an expert ("golden") trajectory and an agent rollout from the initial state, the rewards
 * decide: when the agent's reward is lower, the expert's continuation is chosen and the agent's rejected; when higher,
 * the reverse; on a tie there is no pair. The shared prompt is the training prefix and the task's first observation;
 * each side is the rest of its conversation, ending on an assistant turn (a trailing observation is dropped, as ETO
 * drops it). Like ETO, the rejected agent side of a "lose" pair is cut to the expert's length plus {@code
 * rejectedExtraTurns} turns, and a pair whose side does not end on an assistant turn is dropped. Golden trajectories
 * are ETO's SFT data, usually the expert's successes, so a lose pair is usually "expert success vs agent failure".
 * When a task has several agent rollouts, each gets its own pair; for several golden ones, the last wins (ETO keeps
 * the last in its dict).
 */
public final class EtoPairs {

  /** ETO cuts the rejected side to the golden side's length plus 5 turns (10 messages). */
  public static final int ETO_REJECTED_EXTRA_TURNS = 5;

  private EtoPairs() {}

  public static List<PreferencePair> build(
      List<Trajectory> golden,
      List<Trajectory> agentRollouts,
      List<ChatMessage> trainingPrefix,
      int rejectedExtraTurns) {
    if (rejectedExtraTurns < 0) {
      throw new IllegalArgumentException("rejectedExtraTurns must be >= 0, got " + rejectedExtraTurns);
    }
    Map<String, Trajectory> goldenByTask = new LinkedHashMap<>();
    for (Trajectory g : golden) {
      goldenByTask.put(g.taskId(), g);
    }
    List<PreferencePair> out = new ArrayList<>();
    for (Trajectory pred : agentRollouts) {
      Trajectory gold = goldenByTask.get(pred.taskId());
      if (gold == null || !pred.fromInitialState()) {
        continue;
      }
      List<ChatMessage> g = episode(gold);
      List<ChatMessage> p = episode(pred);
      PreferencePair pair;
      if (pred.reward() < gold.reward()) {
        List<ChatMessage> rejected = p.subList(1, Math.min(p.size(), g.size() + 2 * rejectedExtraTurns));
        pair = pair(pred.id(), trainingPrefix, g.getFirst(), g.subList(1, g.size()), rejected);
      } else if (pred.reward() > gold.reward()) {
        pair = pair(pred.id(), trainingPrefix, p.getFirst(), p.subList(1, p.size()), g.subList(1, g.size()));
      } else {
        continue;
      }
      if (endsWithAssistant(pair.chosen()) && endsWithAssistant(pair.rejected())) {
        out.add(pair);
      }
    }
    return out;
  }

  /** The episode's messages from the first observation, without a trailing observation. */
  private static List<ChatMessage> episode(Trajectory t) {
    return TrainingExamples.of(t, List.of()).chat();
  }

  private static PreferencePair pair(
      String id, List<ChatMessage> prefix, ChatMessage task, List<ChatMessage> chosen, List<ChatMessage> rejected) {
    List<ChatMessage> prompt = new ArrayList<>(prefix);
    prompt.add(task);
    return new PreferencePair(id, prompt, chosen, rejected);
  }

  private static boolean endsWithAssistant(List<ChatMessage> side) {
    return !side.isEmpty() && side.getLast().role() == Role.ASSISTANT;
  }
}
