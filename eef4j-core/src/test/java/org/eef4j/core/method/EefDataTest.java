package org.eef4j.core.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.eef4j.core.testing.Trajectories.expert;
import static org.eef4j.core.testing.Trajectories.fromPrefix;
import static org.eef4j.core.testing.Trajectories.agent;
import static org.eef4j.core.testing.Trajectories.reply;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.core.trajectory.Trajectory;
import org.junit.jupiter.api.Test;

class EefDataTest {

  static final List<ChatMessage> PREFIX = List.of(ChatMessage.user("inst"), ChatMessage.assistant("OK"));

  @Test
  void selectsEvenlySpacedStates() {
    assertThat(EefStateSelection.prefixLengths(12, 5)).containsExactly(2, 4, 6, 8, 10);
    assertThat(EefStateSelection.prefixLengths(13, 3)).containsExactly(3, 6, 9);
    assertThat(EefStateSelection.prefixLengths(10, 1)).containsExactly(5);
    assertThat(EefStateSelection.prefixLengths(17, 5)).containsExactly(2, 4, 6, 8, 10); // floor(17/6) = 2
    // Shorter than M + 1: every intermediate state, none at or past T.
    assertThat(EefStateSelection.prefixLengths(6, 5)).containsExactly(1, 2, 3, 4, 5);
    assertThat(EefStateSelection.prefixLengths(3, 5)).containsExactly(1, 2);
    assertThat(EefStateSelection.prefixLengths(1, 5)).isEmpty();
    assertThatThrownBy(() -> EefStateSelection.prefixLengths(5, 0)).hasMessageContaining("M must be");
  }

  /** A 12-action failed expert trajectory, states s0 s2 s4 s6 s8 s10, succ = [F, F, T, F, F, T]. */
  static final Trajectory E = expert("gpt4/t1", "t1", 12, 0.4);

  static List<Trajectory> rolloutsOfE() {
    return List.of(
        agent("r/t1/s0", "t1", 10, 0.0),
        fromPrefix("r/e/s2", E, 2, 8, false),
        fromPrefix("r/e/s4", E, 4, 3, true),
        fromPrefix("r/e/s6", E, 6, 4, false),
        fromPrefix("r/e/s8", E, 8, 2, false),
        fromPrefix("r/e/s10", E, 10, 1, true));
  }

  @Test
  void classifiesExpertActionsFromTheSuccessVector() {
    EefOutcomes o = EefOutcomes.collect(E, EefStateSelection.prefixLengths(12, 5), rolloutsOfE());
    assertThat(o.prefixLengths()).containsExactly(0, 2, 4, 6, 8, 10);
    assertThat(List.of(0, 1, 2, 3, 4, 5).stream().map(o::succeeded))
        .containsExactly(false, false, true, false, false, true);
    EefClassification c = EefClassification.of(o);
    assertThat(c.labels())
        .containsExactly(
            ActionLabel.NEUTRAL, ActionLabel.NEUTRAL, // s0 -> s2: fail -> fail
            ActionLabel.BENEFICIAL, ActionLabel.BENEFICIAL, // s2 -> s4: fail -> success
            ActionLabel.HARMFUL, ActionLabel.HARMFUL, // s4 -> s6: success -> fail
            ActionLabel.NEUTRAL, ActionLabel.NEUTRAL, // s6 -> s8
            ActionLabel.BENEFICIAL, ActionLabel.BENEFICIAL, // s8 -> s10
            ActionLabel.NEUTRAL, ActionLabel.NEUTRAL); // after the last explored state
    assertThat(c.recoveryStates()).containsExactly(3); // s6
    assertThat(o.nextSuccess(0)).isEqualTo(2);
    assertThat(o.nextSuccess(3)).isEqualTo(5);
    assertThat(o.nextSuccess(5)).isEqualTo(-1);
  }

  @Test
  void outcomesIgnoreOtherExpertsAndTasks() {
    Trajectory other = expert("gpt35/t1", "t1", 12, 0.0);
    List<Trajectory> rollouts = new ArrayList<>(rolloutsOfE());
    rollouts.add(fromPrefix("r/o/s2", other, 2, 1, true));
    rollouts.add(agent("r/t2/s0", "t2", 1, 1.0));
    EefOutcomes o = EefOutcomes.collect(E, EefStateSelection.prefixLengths(12, 5), rollouts);
    assertThat(o.succeeded(0)).isFalse();
    assertThat(o.succeeded(1)).isFalse();
  }

  static List<Boolean> actionMasks(TrainingExample x) {
    return x.messages().subList(PREFIX.size(), x.messages().size()).stream()
        .filter(m -> m.role() == Role.ASSISTANT)
        .map(TrainingMessage::trained)
        .toList();
  }

  static List<Boolean> masks(boolean... m) {
    List<Boolean> out = new ArrayList<>();
    for (boolean b : m) {
      out.add(b);
    }
    return out;
  }

  static final boolean T = true;
  static final boolean F = false;

  @Test
  void buildsDs0AndDrWithHarmfulActionsMasked() {
    Trajectory solved = expert("gpt4/t2", "t2", 3, 1.0);
    List<Trajectory> rollouts = new ArrayList<>(rolloutsOfE());
    rollouts.add(agent("r/t3/s0", "t3", 4, 1.0));
    rollouts.add(agent("r/t3/s0b", "t3", 2, 1.0));
    EefData.Dataset d = EefData.build(List.of(E, solved), rollouts, EefOptions.defaults(), PREFIX);

    assertThat(d.expertSuccesses()).extracting(TrainingExample::id).containsExactly("gpt4/t2");
    assertThat(d.rft()).extracting(TrainingExample::id).containsExactly("r/t3/s0b"); // the shortest success of t3

    // D_s0: t1 is unsolved from s0; the next success is from s4: expert a0..a3 then the agent's 3 actions, all trained.
    assertThat(d.ds0()).hasSize(1);
    TrainingExample ds0 = d.ds0().getFirst();
    assertThat(ds0.id()).isEqualTo("t1@s0#ds0");
    assertThat(ds0.messages().subList(0, 2)).extracting(TrainingMessage::trained).containsOnly(false);
    assertThat(actionMasks(ds0)).isEqualTo(masks(T, T, T, T, T, T, T));
    assertThat(ds0.messages().get(3).content()).isEqualTo(reply("a0"));
    assertThat(ds0.messages().getLast().content()).isEqualTo(reply("b2"));

    // D_r: recovery state s6; next success from s10: a0..a9 then 1 agent action; a4, a5 (harmful) masked.
    assertThat(d.dr()).hasSize(1);
    TrainingExample dr = d.dr().getFirst();
    assertThat(dr.id()).isEqualTo("gpt4/t1@s6#dr");
    assertThat(actionMasks(dr)).isEqualTo(masks(T, T, T, T, F, F, T, T, T, T, T));
    // Observations are never trained.
    assertThat(dr.messages()).filteredOn(m -> m.role() == Role.USER).extracting(TrainingMessage::trained).containsOnly(false);

    EefStats s = d.stats();
    assertThat(s.failedExpertTrajectories()).isEqualTo(1);
    assertThat(s.exploredStates()).isEqualTo(5);
    assertThat(s.initialSuccesses()).isEqualTo(2);
    assertThat(s.intermediateSuccesses()).isEqualTo(2);
    assertThat(s.beneficialActions()).isEqualTo(4);
    assertThat(s.harmfulActions()).isEqualTo(2);
    assertThat(s.ds0()).isEqualTo(1);
    assertThat(s.dr()).isEqualTo(1);
    assertThat(s.maskedActions()).isEqualTo(2);
    assertThat(s.trainedActions()).isEqualTo(3 + 2 + 7 + 9);
    assertThat(d.all()).hasSize(4);
  }

  @Test
  void ablationsChangeOnlyTheirRule() {
    EefData.Dataset noMask =
        EefData.build(List.of(E), rolloutsOfE(), EefVariant.NO_MASKING.apply(EefOptions.defaults()), PREFIX);
    assertThat(actionMasks(noMask.dr().getFirst())).containsOnly(true);

    EefData.Dataset neutralMasked =
        EefData.build(
            List.of(E),
            rolloutsOfE(),
            EefOptions.defaults().withNeutralExpertActions(EefOptions.NeutralActions.MASK),
            PREFIX);
    assertThat(actionMasks(neutralMasked.dr().getFirst())).isEqualTo(masks(F, F, T, T, F, F, T, T, T, T, T));
    // In D_s0 every expert action is on the path from s0 to the success: all trained.
    assertThat(actionMasks(neutralMasked.ds0().getFirst())).containsOnly(true);

    EefData.Dataset ds0Only =
        EefData.build(List.of(E), rolloutsOfE(), EefVariant.DS0_ONLY.apply(EefOptions.defaults()), PREFIX);
    assertThat(ds0Only.ds0()).hasSize(1);
    assertThat(ds0Only.dr()).isEmpty();
    EefData.Dataset drOnly =
        EefData.build(List.of(E), rolloutsOfE(), EefVariant.DR_ONLY.apply(EefOptions.defaults()), PREFIX);
    assertThat(drOnly.ds0()).isEmpty();
    assertThat(drOnly.dr()).hasSize(1);
  }

  @Test
  void taskSolvedFromItsInitialStateHasNoDs0ButKeepsItsRecoveryStates() {
    List<Trajectory> rollouts = new ArrayList<>(rolloutsOfE());
    rollouts.set(0, agent("r/t1/s0", "t1", 5, 1.0));
    EefData.Dataset d = EefData.build(List.of(E), rollouts, EefOptions.defaults(), PREFIX);
    assertThat(d.ds0()).isEmpty();
    // succ = [T, F, T, F, F, T]: s0 -> s2 is harmful (recovery s2, solved via s4) and s4 -> s6 too (s6, via s10).
    assertThat(d.dr()).extracting(TrainingExample::id).containsExactly("gpt4/t1@s2#dr", "gpt4/t1@s6#dr");
    assertThat(actionMasks(d.dr().get(0))).isEqualTo(masks(F, F, T, T, T, T, T));
    assertThat(actionMasks(d.dr().get(1))).isEqualTo(masks(F, F, T, T, F, F, T, T, T, T, T));
    assertThat(d.rft()).hasSize(1);
  }

  @Test
  void solutionsOfSeveralExpertsArePooledAndSelectedByTheRule() {
    Trajectory e2 = expert("gpt35/t1", "t1", 6, 0.0); // states s1..s5
    List<Trajectory> rollouts = new ArrayList<>(rolloutsOfE());
    rollouts.add(fromPrefix("r/e2/s1", e2, 1, 1, true)); // 2 actions in all: the shortest
    List<Trajectory> experts = List.of(E, e2);
    EefData.Dataset shortest = EefData.build(experts, rollouts, EefOptions.defaults(), PREFIX);
    assertThat(shortest.ds0()).hasSize(1);
    assertThat(shortest.ds0().getFirst().messages()).hasSize(2 + 4);
    EefData.Dataset first =
        EefData.build(
            experts, rollouts, EefOptions.defaults().withSolutionSelection(SolutionSelection.FIRST), PREFIX);
    assertThat(first.ds0().getFirst().messages()).hasSize(2 + 14); // E's solution from s4 comes first
    Set<Integer> sizes = new HashSet<>();
    for (long seed = 0; seed < 40; seed++) {
      EefOptions o = EefVariant.RANDOM_SELECTION.apply(EefOptions.defaults()).withSeed(seed);
      int n = EefData.build(experts, rollouts, o, PREFIX).ds0().getFirst().messages().size();
      assertThat(EefData.build(experts, rollouts, o, PREFIX).ds0().getFirst().messages()).hasSize(n);
      sizes.add(n);
    }
    assertThat(sizes).containsExactlyInAnyOrder(6, 16);
  }

  @Test
  void explorationPlansInitialAndIntermediateStates() {
    Trajectory solved = expert("gpt4/t2", "t2", 3, 1.0);
    List<EpisodeSpec> plan = EefExploration.plan("it1", List.of("t1", "t2"), List.of(E, solved), EefOptions.defaults());
    assertThat(plan).extracting(EpisodeSpec::id)
        .containsExactly(
            "it1/t1/s0/0", "it1/t2/s0/0", "it1/gpt4/t1/s2/0", "it1/gpt4/t1/s4/0", "it1/gpt4/t1/s6/0",
            "it1/gpt4/t1/s8/0", "it1/gpt4/t1/s10/0");
    assertThat(plan.get(3).prefixActions()).isEqualTo(4);
    assertThat(plan.get(3).expert()).isSameAs(E);
    assertThat(plan).extracting(EpisodeSpec::seed).doesNotHaveDuplicates();
    assertThat(EefExploration.planInitial("it1", List.of("t1"), 6, 0)).hasSize(6);
    assertThat(EefExploration.plan("it1", List.of("t1"), List.of(E), EefOptions.defaults().withRolloutsPerState(2)))
        .hasSize(2 + 10);
  }

  @Test
  void optionsAreValidated() {
    assertThatThrownBy(() -> EefOptions.defaults().withM(0)).hasMessageContaining("M must be");
    assertThatThrownBy(() -> EefOptions.defaults().withDatasets(false, false)).hasMessageContaining("with neither");
    assertThat(EefVariant.EEF.apply(EefOptions.defaults())).isEqualTo(EefOptions.defaults());
  }
}
