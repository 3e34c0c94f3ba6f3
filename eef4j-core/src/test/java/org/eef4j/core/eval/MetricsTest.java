package org.eef4j.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.eef4j.core.testing.Trajectories.agent;
import static org.eef4j.core.testing.Trajectories.expert;
import static org.eef4j.core.testing.Trajectories.fromPrefix;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eef4j.core.agent.ActionKinds;
import org.eef4j.core.agent.ReactDialect;
import org.eef4j.core.agent.RolloutStats;
import org.eef4j.core.agent.Trainer;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Start;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void categoriesAreListedInNameOrderInEveryProcess() {
    // twelve categories: an order that hashing decides (Map.copyOf's, salted per JVM) is sorted by chance almost never
    List<String> names = java.util.stream.IntStream.range(0, 12).mapToObj(i -> "category-" + (char) ('a' + i)).toList();
    List<Trajectory> eps = new java.util.ArrayList<>();
    for (int i = 0; i < names.size(); i++) eps.add(agent("e" + i, "t" + i, 1, i % 2));
    Evaluation e = Evaluation.of("test-12", eps, task -> names.get(Integer.parseInt(task.substring(1))));
    assertThat(e.perCategory().keySet()).containsExactlyElementsOf(names);
    assertThat(new Evaluation("x", e.overall(), new java.util.HashMap<>(e.perCategory())).perCategory().keySet())
        .containsExactlyElementsOf(names);
  }

  @Test
  void winRateCountsOnlyFullRewardAndMeanScoreAveragesAll() {
    List<Trajectory> eps =
        List.of(agent("1", "t1", 2, 1.0), agent("2", "t2", 2, 0.75), agent("3", "t3", 2, 0.0), agent("4", "t4", 1, 1.0));
    Evaluation e =
        Evaluation.of("test-4", eps, task -> task.equals("t1") || task.equals("t2") ? "beauty" : "garden");
    assertThat(e.testSet()).isEqualTo("test-4");
    assertThat(e.overall().winRate()).isEqualTo(0.5);
    assertThat(e.overall().winRatePercent()).isEqualTo(50.0);
    assertThat(e.overall().meanScore()).isEqualTo(0.6875);
    assertThat(e.perCategory()).containsOnlyKeys("beauty", "garden");
    assertThat(e.perCategory().get("beauty")).isEqualTo(new Score(2, 0.5, 0.875));
    assertThat(e.perCategory().get("garden")).isEqualTo(new Score(2, 0.5, 0.5));
    assertThatThrownBy(() -> Evaluation.of("x", List.of(eps.get(0), eps.get(0)), t -> "c"))
        .hasMessageContaining("twice");
  }

  @Test
  void meanAndSampleStdOverSeeds() {
    MeanStd m = MeanStd.of(46.0, 48.0, 50.0);
    assertThat(m.mean()).isEqualTo(48.0);
    assertThat(m.std()).isCloseTo(2.0, within(1e-12));
    assertThat(m.format(1)).isEqualTo("48.0 ± 2.0 (n=3)");
    assertThat(MeanStd.of(3.0).std()).isZero();
  }

  @Test
  void tracksNewlyAndNeverSolvedTasks() {
    Set<String> tasks = Set.of("a", "b", "c", "d");
    List<SolvedTasks.Row> rows =
        SolvedTasks.track(tasks, List.of(Set.of("a"), Set.of("a", "b"), Set.of("b", "x")));
    assertThat(rows)
        .containsExactly(
            new SolvedTasks.Row(1, 1, 1, 3), new SolvedTasks.Row(2, 2, 1, 2), new SolvedTasks.Row(3, 1, 0, 2));
    Trajectory e = expert("e", "c", 4, 0.0);
    List<Trajectory> rollouts = List.of(agent("1", "a", 1, 1.0), fromPrefix("2", e, 2, 1, true), agent("3", "b", 1, 0));
    assertThat(SolvedTasks.solved(rollouts, false)).containsExactlyInAnyOrder("a", "c");
    assertThat(SolvedTasks.solved(rollouts, true)).containsExactly("a");
    assertThat(SolvedTasks.sources(rollouts)).isEqualTo(new SolvedTasks.SuccessSources(1, 1));
  }

  static String act(String a) {
    return "Thought: t\nAction: " + a;
  }

  /** Kinds by an action's verb: enough to test the counting, which knows no environment. */
  private static final ActionKinds VERBS = new ActionKinds() {
    @Override
    public List<String> names() {
      return List.of("SEARCH", "CLICK", "INVALID_FORMAT");
    }

    @Override
    public String of(java.util.Optional<String> action, String observation) {
      if (action.isEmpty()) return "INVALID_FORMAT";
      return action.get().startsWith("search[") ? "SEARCH" : action.get().startsWith("click[") ? "CLICK" : "OTHER";
    }
  };

  @Test
  void countsTheAgentsActionsByTheKindsTheEnvironmentNamesInItsOrder() {
    Trajectory t = new Trajectory("1", "t", Start.INITIAL, List.of(
        new Turn.Observation("page"),
        new Turn.Action(act("click[a]"), Producer.AGENT, true),
        new Turn.Observation("page"),
        new Turn.Action("no action", Producer.AGENT, true),
        new Turn.Observation("page"),
        new Turn.Action(act("click[b]"), Producer.AGENT, true),
        new Turn.Observation("done")), 0, false, Termination.DONE);
    Map<String, Integer> usage = ActionKindCounts.of(List.of(t), VERBS, ReactDialect.ETO);
    assertThat(usage.keySet()).as("every kind named, in the environment's order").containsExactly("SEARCH", "CLICK",
        "INVALID_FORMAT");
    assertThat(usage).containsEntry("SEARCH", 0).containsEntry("CLICK", 2).containsEntry("INVALID_FORMAT", 1);
    // Replayed expert actions are not the agent's skills.
    Trajectory e = expert("e", "t", 3, 0);
    assertThat(ActionKindCounts.of(List.of(fromPrefix("r", e, 3, 0, false)), VERBS, ReactDialect.ETO).values())
        .containsOnly(0);
    assertThat(ActionKindCounts.of(List.of(t), ActionKinds.NONE, ReactDialect.ETO)).as("no kinds named: none counted")
        .isEmpty();
    Trajectory other = new Trajectory("2", "t", Start.INITIAL, List.of(new Turn.Observation("page"),
        new Turn.Action(act("scroll[down]"), Producer.AGENT, true), new Turn.Observation("page")), 0, false,
        Termination.MAX_STEPS);
    assertThatThrownBy(() -> ActionKindCounts.of(List.of(other), VERBS, ReactDialect.ETO))
        .hasMessageContaining("'OTHER' is not one the environment names");
  }

  @Test
  void addsUpCompute() {
    Compute c =
        Compute.ZERO
            .plus(new RolloutStats(10, 50, 5, 7, 45, 1000, 300, 2000))
            .plus(new Trainer.TrainingReport(10, 400, 0.5, 3000))
            .plus(new RolloutStats(2, 4, 0, 2, 4, 10, 20, 100));
    assertThat(c).isEqualTo(new Compute(12, 54, 320, 400, 2100, 3000));
    assertThat(c.wallMillis()).isEqualTo(5100);
  }
}
