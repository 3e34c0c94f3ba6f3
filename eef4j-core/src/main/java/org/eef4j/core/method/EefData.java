package org.eef4j.core.method;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eef4j.core.eval.MaskCounts;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingExamples;
import org.eef4j.core.trajectory.Trajectory;

/**
 * Builds one EEF iteration's training set (EEF.md phases 3 and 4): expert successes ∪ RFT successes from initial states
 * ∪ D_s0 ∪ D_r, each trajectory masked by its rule. The rules live in their own classes: {@link EefStateSelection},
 * {@link EefOutcomes}, {@link EefClassification}, {@link SolutionSelection}, {@link EefMasking}; this class only puts
 * them together.
 *
 * <p>Important states, each with one solution: (a) the initial state of every task no initial-state rollout solved,
 * with candidates from all failed expert trajectories of the task (several experts pool their candidates); (b) every
 * recovery state of every failed expert trajectory. A state's candidates are the successful rollouts from the next
 * explored state the agent succeeded from; a state with none yields no example.
 */
public final class EefData {

  /** The four parts of the training set. */
  public record Dataset(
      List<TrainingExample> expertSuccesses,
      List<TrainingExample> rft,
      List<TrainingExample> ds0,
      List<TrainingExample> dr,
      EefStats stats) {

    public Dataset {
      expertSuccesses = List.copyOf(expertSuccesses);
      rft = List.copyOf(rft);
      ds0 = List.copyOf(ds0);
      dr = List.copyOf(dr);
    }

    /** The union that phase 4 trains on, in the order expert, RFT, D_s0, D_r. */
    public List<TrainingExample> all() {
      List<TrainingExample> out = new ArrayList<>();
      out.addAll(expertSuccesses);
      out.addAll(rft);
      out.addAll(ds0);
      out.addAll(dr);
      return out;
    }
  }

  private EefData() {}

  /**
   * @param expert every expert trajectory (successes and failures, of any number of experts, ids unique)
   * @param rollouts this round's rollouts, from initial states and from expert prefixes
   * @param trainingPrefix the prompt prefix of training conversations
   */
  public static Dataset build(
      List<Trajectory> expert, List<Trajectory> rollouts, EefOptions options, List<ChatMessage> trainingPrefix) {
    List<TrainingExample> expertEx =
        options.includeExpertSuccesses() ? SftData.build(expert, trainingPrefix) : List.of();
    List<TrainingExample> rftEx = RftData.build(rollouts, options.rftKeep(), trainingPrefix);

    // Outcomes look at one task's rollouts only: index them once rather than scan all per expert trajectory.
    Map<String, List<Trajectory>> rolloutsByTask = new LinkedHashMap<>();
    for (Trajectory r : rollouts) {
      rolloutsByTask.computeIfAbsent(r.taskId(), t -> new ArrayList<>()).add(r);
    }
    Set<String> solvedFromInitial = new HashSet<>();
    int initialSuccesses = 0;
    int intermediateSuccesses = 0;
    for (Trajectory r : rollouts) {
      if (r.success()) {
        if (r.fromInitialState()) {
          solvedFromInitial.add(r.taskId());
          initialSuccesses++;
        } else {
          intermediateSuccesses++;
        }
      }
    }

    Map<String, List<Trajectory>> ds0Candidates = new LinkedHashMap<>();
    List<Trajectory> drChosen = new ArrayList<>();
    int failed = 0;
    int states = 0;
    int beneficial = 0;
    int harmful = 0;
    for (Trajectory e : expert) {
      if (e.success()) {
        continue;
      }
      failed++;
      List<Integer> selected = EefStateSelection.prefixLengths(e.actionCount(), options.m());
      states += selected.size();
      EefOutcomes outcomes =
          EefOutcomes.collect(e, selected, rolloutsByTask.getOrDefault(e.taskId(), List.of()));
      EefClassification cls = EefClassification.of(outcomes);
      beneficial += (int) cls.labels().stream().filter(l -> l == ActionLabel.BENEFICIAL).count();
      harmful += (int) cls.labels().stream().filter(l -> l == ActionLabel.HARMFUL).count();

      if (options.useDs0() && !solvedFromInitial.contains(e.taskId())) {
        int k = outcomes.nextSuccess(0);
        if (k > 0) {
          List<Trajectory> c = ds0Candidates.computeIfAbsent(e.taskId(), t -> new ArrayList<>());
          for (Trajectory s : outcomes.successes().get(k)) {
            c.add(EefMasking.apply(s, cls, 0, options));
          }
        }
      }
      if (options.useDr()) {
        for (int j : cls.recoveryStates()) {
          int k = outcomes.nextSuccess(j);
          if (k < 0) {
            continue;
          }
          int important = outcomes.prefixLengths().get(j);
          List<Trajectory> c = new ArrayList<>();
          for (Trajectory s : outcomes.successes().get(k)) {
            c.add(EefMasking.apply(s, cls, important, options));
          }
          String key = e.id() + "@s" + important;
          drChosen.add(
              options.solutionSelection().select(c, options.seed(), key).withId(key + "#dr"));
        }
      }
    }
    List<Trajectory> ds0Chosen = new ArrayList<>();
    for (var entry : ds0Candidates.entrySet()) {
      String key = entry.getKey() + "@s0";
      ds0Chosen.add(
          options.solutionSelection().select(entry.getValue(), options.seed(), key).withId(key + "#ds0"));
    }

    List<TrainingExample> ds0Ex = ds0Chosen.stream().map(t -> TrainingExamples.of(t, trainingPrefix)).toList();
    List<TrainingExample> drEx = drChosen.stream().map(t -> TrainingExamples.of(t, trainingPrefix)).toList();

    MaskCounts counts = MaskCounts.of(List.of(expertEx, rftEx, ds0Ex, drEx).stream().flatMap(List::stream).toList(),
        trainingPrefix.size());
    EefStats stats =
        new EefStats(
            failed, states, initialSuccesses, intermediateSuccesses, beneficial, harmful, ds0Ex.size(), drEx.size(),
            counts.trained(), counts.masked());
    return new Dataset(expertEx, rftEx, ds0Ex, drEx, stats);
  }
}
