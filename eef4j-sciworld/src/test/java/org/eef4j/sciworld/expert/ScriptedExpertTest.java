package org.eef4j.sciworld.expert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.agent.RolloutRunner;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.sciworld.Shared;
import org.eef4j.sciworld.agent.SciWorldEnvironments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScriptedExpertTest {

  private static final String FIND_ANIMAL = "11_0"; // task-3-find-animal: 10 gold actions, limit 15
  private static final String THERMOMETER = "6_0"; // task-10-use-thermometer: measures, limit 30

  private static SciWorldEnvironments environments;

  @BeforeAll
  static void open() {
    environments = SciWorldEnvironments.eto(Shared.jar("1.3.0"), Shared.etoSplits());
  }

  @AfterAll
  static void close() {
    if (environments != null) {
      environments.close();
    }
  }

  private static ScriptedExpert expert(String profile) {
    return new ScriptedExpert(environments, new ScriptedExpert.Config(FailureProfile.parse(profile), 7));
  }

  @Test
  void theOracleFollowsTheGoldPathToAWin() {
    ExpertEpisode e = expert("oracle").play(FIND_ANIMAL);
    assertThat(e.success()).isTrue();
    assertThat(e.score()).isEqualTo(1.0);
    assertThat(e.failures()).isEmpty();
    assertThat(e.trajectory().actionCount()).isEqualTo(e.goldLength());
    assertThat(e.trajectory().action(0).text()).startsWith("Thought: ").contains("\nAction: ");
  }

  @Test
  void eachFailureModeFiresWhenDrawnAndCostsTheWin() {
    ExpertEpisode stop = expert("oracle:stop_early=1").play(FIND_ANIMAL);
    assertThat(stop.failures()).containsExactly(FailureMode.STOP_EARLY);
    assertThat(stop.success()).isFalse();
    assertThat(stop.trajectory().actionCount()).as("it waits until the step limit").isEqualTo(stop.stepLimit());

    // Without its measurement the expert's box is a coin flip: over a few seeds, some guesses are wrong.
    List<ExpertEpisode> skips = java.util.stream.LongStream.range(0, 8).mapToObj(seed -> new ScriptedExpert(
        environments, new ScriptedExpert.Config(FailureProfile.parse("oracle:skip_measurement=1"), seed))
        .play(THERMOMETER)).toList();
    assertThat(skips).allMatch(e -> e.failures().equals(java.util.Set.of(FailureMode.SKIP_MEASUREMENT)));
    assertThat(skips).allMatch(e -> e.trajectory().turns().stream().noneMatch(t -> t.text().contains(
        "Action: use thermometer")));
    assertThat(skips).anyMatch(e -> e.score() < 1.0);
    assertThat(expert("oracle:skip_measurement=1").play(FIND_ANIMAL).failures()).as("nothing to skip").isEmpty();

    ExpertEpisode loop = expert("oracle:loop=1").play(FIND_ANIMAL);
    assertThat(loop.failures()).containsExactly(FailureMode.LOOP);
    assertThat(loop.trajectory().actionCount()).isGreaterThan(loop.goldLength());

    ExpertEpisode wrong = expert("oracle:wrong_object=1").play(FIND_ANIMAL);
    assertThat(wrong.failures()).containsExactly(FailureMode.WRONG_OBJECT);
    assertThat(wrong.trajectory().turns().stream().map(t -> t.text()).toList())
        .isNotEqualTo(expert("oracle").play(FIND_ANIMAL).trajectory().turns().stream().map(t -> t.text()).toList());
  }

  @Test
  void theSameSeedGivesTheSameTrajectory() {
    Trajectory a = expert("gpt35").play(THERMOMETER).trajectory();
    Trajectory b = expert("gpt35").play(THERMOMETER).trajectory();
    assertThat(b).isEqualTo(a);
  }

  @Test
  void replayingAnExpertTrajectoryThroughTheRunnerGivesItsObservationsAndReward() {
    Trajectory expert = expert("oracle:loop=1,wrong_object=1").play(THERMOMETER).trajectory();
    Policy mustNotBeAsked = (requests, sampling) -> {
      throw new AssertionError("the expert's trajectory ended its episode; the runner should not ask for more");
    };
    RolloutRunner runner = new RolloutRunner(environments, mustNotBeAsked,
        new ReactPrompt("inst", List.of(), SciWorldEnvironments.DIALECT),
        RolloutOptions.defaults().withMaxSteps(environments.limits().max()));
    Trajectory replayed = runner.run(List.of(EpisodeSpec.fromExpertPrefix("r", expert, expert.actionCount(), 0)))
        .trajectories().getFirst(); // strict replay: a different observation would throw
    assertThat(replayed.reward()).isEqualTo(expert.reward());
    assertThat(replayed.turns().stream().map(t -> t.text()).toList())
        .isEqualTo(expert.turns().stream().map(t -> t.text()).toList());
  }

  @Test
  void profilesParseWithOverridesAndRejectNonsense() {
    FailureProfile p = FailureProfile.parse("gpt4:loop=0.5");
    assertThat(p.loop()).isEqualTo(0.5);
    assertThat(p.name()).isEqualTo("gpt4-custom");
    assertThatThrownBy(() -> FailureProfile.parse("gpt4:jump=1")).hasMessageContaining("jump");
    assertThatThrownBy(() -> FailureProfile.parse("gpt4:loop=2")).hasMessageContaining("outside [0, 1]");
    assertThatThrownBy(() -> FailureProfile.parse("gpt5")).hasMessageContaining("gpt5");
  }
}
