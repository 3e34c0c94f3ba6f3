package org.eef4j.sciworld.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.ReactDialect;
import org.eef4j.core.agent.RolloutRunner;
import org.eef4j.core.pipeline.ExpertSource;
import org.eef4j.core.progress.ProgressListener;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.sciworld.Shared;
import org.eef4j.sciworld.agent.SciWorldTasks;
import org.eef4j.sciworld.expert.FailureProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's SciWorld: the tasks it draws, its step limits, its prompt, and the scripted expert's recorded file. */
class SciWorldRunTest {

  private static final String LONGEST = "task-6-lifespan-(longest-lived)";
  private static final String FIND = "task-3-find-animal";

  private static SciWorldRunSpec spec(String version, int maxSteps) {
    return SciWorldRunSpec.of(Shared.dir().resolve("sciworld/scienceworld-" + version + ".jar"),
        Shared.dir().resolve("data/eto"), "easy", List.of(LONGEST, FIND), 2, 1, "test", false, maxSteps,
        Optional.empty());
  }

  @Test
  void drawsTheFirstTasksOfEachTypeInEtosOrderAndCapsTheStepLimits() {
    SciWorldRunSpec spec = spec("1.3.0", 12);
    assertThat(spec.simulator()).isEqualTo("ScienceWorld 1.3.0; replay exact");
    assertThat(spec.replayExact()).isTrue();
    SciWorldTasks.Splits eto = SciWorldTasks.Splits.read(spec.splitsDir());
    try (SciWorldRun run = SciWorldRun.open(spec)) {
      List<String> train = run.tasks().train();
      assertThat(train).hasSize(4);
      assertThat(train.subList(0, 2)).allMatch(id -> SciWorldTasks.parse(id).etoName().equals(LONGEST));
      assertThat(train.subList(2, 4)).allMatch(id -> SciWorldTasks.parse(id).etoName().equals(FIND));
      assertThat(eto.train()).containsSubsequence(train.subList(0, 2));
      assertThat(run.tasks().test()).hasSize(2).allMatch(eto.test()::contains);
      assertThat(run.tasks().category(train.getFirst())).isEqualTo(LONGEST);
      assertThat(run.tasks().name()).isEqualTo("sciworld ETO test (2 tasks of 2 types; ScienceWorld 1.3.0; replay exact)");
      // ETO's limits are 10 (lifespan) and 15 (find): the run's 12 cuts the second only
      assertThat(run.environments().limits().of(train.getFirst())).isEqualTo(10);
      assertThat(run.environments().limits().of(train.getLast())).isEqualTo(12);
      assertThat(run.prompt().dialect()).isEqualTo(ReactDialect.ETO_SAME_LINE);
      assertThat(run.prompt().example()).isEmpty();
    }
  }

  @Test
  void theScriptedExpertPlaysInTheExpertStageAndAgainTheSame() {
    try (SciWorldRun run = SciWorldRun.open(spec("1.3.0", 10))) {
      ExpertSource source = run.scriptedExpert("gpt4", FailureProfile.GPT4, 0);
      List<String> all = new java.util.ArrayList<>(run.tasks().train());
      all.addAll(run.tasks().test());
      Function<Policy, RolloutRunner> noRunner = p -> {
        throw new AssertionError("the scripted expert plays by itself");
      };
      List<Trajectory> first = source.play(all, noRunner, ProgressListener.NONE).trajectories();
      assertThat(first).extracting(Trajectory::taskId).containsExactlyElementsOf(all);
      assertThat(first).extracting(Trajectory::id).allMatch(id -> id.startsWith("expert-gpt4/"));
      assertThat(first).allMatch(t -> t.actionCount() <= 10);
      assertThat(first.get(1).turns().get(2).text()).startsWith("Observation: ");
      // a resumed run plays it again: the same trajectories
      assertThat(source.play(all, noRunner, ProgressListener.NONE).trajectories()).isEqualTo(first);
    }
  }

  @Test
  void version123SaysPlainlyThatReplayIsNotExact() {
    SciWorldRunSpec spec = spec("1.2.3", 10);
    assertThat(spec.replayExact()).isFalse();
    assertThat(spec.simulator()).startsWith("ScienceWorld 1.2.3; replay NOT exact");
    try (SciWorldRun run = SciWorldRun.open(spec)) {
      assertThat(run.tasks().name()).contains("replay NOT exact");
    }
  }

  @Test
  void badSettingsAreErrorsNamingThem(@TempDir Path dir) {
    assertThatThrownBy(() -> SciWorldRunSpec.of(Shared.dir().resolve("sciworld/scienceworld-1.3.0.jar"), dir, "easy",
        List.of(), 1, 1, "test", false, 10, Optional.empty()))
        .hasMessageContaining(dir.resolve("sciworld-splits/train_indices.json").toString());
    assertThatThrownBy(() -> SciWorldRunSpec.of(dir.resolve("none.jar"), Shared.dir().resolve("data/eto"), "easy",
        List.of(), 1, 1, "test", false, 10, Optional.empty())).hasMessageContaining("none.jar");
    assertThatThrownBy(() -> SciWorldRunSpec.of(Shared.dir().resolve("sciworld/scienceworld-1.3.0.jar"),
        Shared.dir().resolve("data/eto"), "easy", List.of("task-99-fly"), 1, 1, "test", false, 10, Optional.empty()))
        .hasMessageContaining("task-99-fly");
    assertThatThrownBy(() -> SciWorldRunSpec.of(Shared.dir().resolve("sciworld/scienceworld-1.3.0.jar"),
        Shared.dir().resolve("data/eto"), "easy", List.of(), 1, 1, "train", false, 10, Optional.empty()))
        .hasMessageContaining("'train'");
  }
}
