package org.eef4j.sciworld.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.agent.StepResult;
import org.eef4j.sciworld.Shared;
import org.eef4j.sciworld.sim.Simulator;
import org.eef4j.sciworld.sim.SimulatorExitException;
import org.eef4j.sciworld.sim.SimulatorPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ETO's episode rules over the simulator, and replay of prefixes (EEF's restarts) giving the same states. */
class SciWorldEnvironmentTest {

  /** task-3-find-animal, variation 0: a short gold path. */
  private static final String FIND_ANIMAL = "11_0";

  private static SciWorldEnvironments environments;
  private static List<String> gold;

  @BeforeAll
  static void open() {
    environments = new SciWorldEnvironments(new SimulatorPool(Shared.jar("1.3.0")),
        SciWorldTasks.StepLimits.read(Shared.etoSplits().resolve(SciWorldTasks.MAX_STEPS), 100),
        SciWorldEnvironment.EASY);
    Simulator sim = environments.pool().acquire();
    sim.load("task-3-find-animal", 0, "easy", true);
    gold = sim.goldActions();
    environments.pool().release(sim);
  }

  @AfterAll
  static void close() {
    if (environments != null) {
      environments.close();
    }
  }

  @Test
  void resetGivesTheTaskDescriptionAndTheGoldPathWinsWithReward1() {
    try (SciWorldEnvironment env = environments.open()) {
      assertThat(env.reset(FIND_ANIMAL)).startsWith("Your task is to find a(n) animal");
      StepResult last = null;
      for (String action : gold) {
        assertThat(last == null || !last.done()).isTrue();
        last = env.step(action);
      }
      assertThat(last.done()).isTrue();
      assertThat(last.reward()).isEqualTo(1.0);
      assertThatThrownBy(() -> env.step("look around")).hasMessageContaining("after the episode ended");
    }
  }

  @Test
  void anUnknownActionIsAnsweredBySimulatorAndCostsAStep() {
    try (SciWorldEnvironment env = new SciWorldEnvironments(environments.pool(), SciWorldTasks.StepLimits.uniform(2),
        SciWorldEnvironment.EASY).open()) {
      env.reset(FIND_ANIMAL);
      StepResult r = env.step("dance wildly");
      assertThat(r.observation()).isEqualTo("No known action matches that input.");
      assertThat(r.done()).isFalse();
      assertThat(r.reward()).as("the starting state's partial score, no more").isLessThan(0.1);
      StepResult atLimit = env.step("look around");
      assertThat(atLimit.done()).as("the task's step limit of 2").isTrue();
    }
  }

  @Test
  void theRewardIsTheBestScoreSoFar() {
    try (SciWorldEnvironment env = environments.open()) {
      env.reset(FIND_ANIMAL);
      double previous = 0;
      for (String action : gold.subList(0, gold.size() - 1)) {
        StepResult r = env.step(action);
        assertThat(r.reward()).isGreaterThanOrEqualTo(previous).isBetween(0.0, 1.0);
        previous = r.reward();
      }
      assertThat(previous).as("partial credit before the last action").isGreaterThan(0).isLessThan(1);
    }
  }

  @Test
  void replayingAPrefixTwiceReachesTheSameStateAsTheFullRun() {
    List<String> full = transcript(gold, gold.size());
    for (int k : new int[] {1, gold.size() / 2, gold.size() - 1}) {
      List<String> once = transcript(gold, k);
      List<String> twice = transcript(gold, k);
      assertThat(once).as("prefix " + k).isEqualTo(twice).isEqualTo(full.subList(0, once.size()));
    }
  }

  @Test
  void aSimulatorThatExitedCostsOneEpisodeAndIsNotReused() {
    try (SciWorldEnvironment env = environments.open()) {
      env.reset(FIND_ANIMAL);
      Simulator exited = env.simulator();
      StepResult first = env.step("teleport to kitchen");
      assertThatThrownBy(() -> env.simulator().shutdown()).isInstanceOf(SimulatorExitException.class);
      StepResult r = env.step("look around");
      assertThat(r.done()).isTrue();
      assertThat(r.reward()).as("the best score so far").isEqualTo(first.reward());
      assertThat(r.observation()).contains("the episode ends here");
      assertThat(env.reset(FIND_ANIMAL)).as("a new simulator for the next episode").startsWith("Your task is");
      assertThat(env.simulator()).isNotSameAs(exited);
      assertThat(exited.broken()).isTrue();
    }
  }

  @Test
  void badTaskIdsAreErrorsNamingThem() {
    try (SciWorldEnvironment env = environments.open()) {
      assertThatThrownBy(() -> env.reset("webshop_3")).hasMessageContaining("'webshop_3'");
      assertThatThrownBy(() -> env.reset("11_99999")).hasMessageContaining("11_99999");
    }
  }

  @Test
  void theValidActionsAreOfferedOnlyWhenAsked() {
    try (SciWorldEnvironment env = environments.open()) {
      env.reset(FIND_ANIMAL);
      assertThat(env.actionSpace()).as("free text, as ETO's agents").isEmpty();
    }
    var offering = new SciWorldEnvironments(environments.pool(), environments.limits(), SciWorldEnvironment.EASY, true);
    try (SciWorldEnvironment env = offering.open()) {
      env.reset(FIND_ANIMAL);
      assertThat(env.actionSpace().orElseThrow().choices()).contains("look around", "teleport to kitchen");
    }
  }

  /** The observations (and rewards) after each of the first k actions, from a fresh reset, on whichever simulator. */
  private static List<String> transcript(List<String> actions, int k) {
    List<String> out = new ArrayList<>();
    try (SciWorldEnvironment env = environments.open()) {
      out.add(env.reset(FIND_ANIMAL));
      for (String a : actions.subList(0, k)) {
        StepResult r = env.step(a);
        out.add(r.observation() + " | " + r.reward() + " | " + r.done() + " | " + env.simulator().look());
      }
    }
    return out;
  }
}
