package org.eef4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.toyshop.TabularStudent;
import org.eef4j.core.progress.Progress;
import org.eef4j.core.progress.ProgressListener;
import org.eef4j.core.trajectory.TrainingExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Long stages resume inside themselves: a killed exploration keeps the episodes it finished. */
class StageResumeTest {

  static final String STAGE = "seed 7 · RFT · iter 1 explore";

  @Test
  void aKilledExplorationPlaysOnlyTheEpisodesItHadNotFinishedAndEndsWithTheSameBytes(@TempDir Path tmp)
      throws Exception {
    PipelineConfig config = PipelineTest.config(1, List.of(7L));
    Path straight = tmp.resolve("straight");
    List<Progress> straightProgress = new ArrayList<>();
    new Pipeline(PipelineTest.setup(TabularStudent.factory()), config, straight, straightProgress::add).run();
    int episodes = (int) straightProgress.stream().filter(p -> p.stage().equals(STAGE)).mapToLong(Progress::total)
        .max().orElseThrow();

    Path killed = tmp.resolve("killed");
    int[] doneAtKill = {-1};
    assertThatThrownBy(() -> new Pipeline(PipelineTest.setup(TabularStudent.factory()), config, killed, p -> {
      if (p.stage().equals(STAGE) && p.done() >= 10 && p.done() < p.total()) {
        doneAtKill[0] = (int) p.done();
        throw new IllegalStateException("killed in exploration");
      }
    }).run()).hasMessageContaining("killed in exploration");
    Path partial = killed.resolve("seed-7/rft/iter-1/explore.partial.jsonl");
    assertThat(Files.readAllLines(partial)).hasSize(1 + doneAtKill[0]); // the header, then each finished episode
    assertThat(killed.resolve("seed-7/rft/iter-1/explore.trajectories.jsonl")).doesNotExist();

    List<Progress> resumed = new ArrayList<>();
    new Pipeline(PipelineTest.setup(TabularStudent.factory()), config, killed, resumed::add).run();
    assertThat(resumed.stream().filter(p -> p.stage().equals(STAGE)).mapToLong(Progress::total).max().orElseThrow())
        .isEqualTo(episodes - doneAtKill[0]);
    assertThat(partial).doesNotExist();

    Map<String, byte[]> expected = PipelineTest.outputs(straight);
    Map<String, byte[]> actual = PipelineTest.outputs(killed);
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach((rel, bytes) -> assertThat(actual.get(rel)).as(rel).isEqualTo(bytes));
  }

  @Test
  void aKilledEvaluationKeepsItsFinishedEpisodesToo(@TempDir Path tmp) throws Exception {
    PipelineConfig config = new PipelineConfig(List.of(new Method.Sft()), List.of(3L),
        org.eef4j.core.agent.RolloutOptions.defaults().withMaxSteps(8).withMaxBatch(4),
        org.eef4j.core.method.EefOptions.defaults().withIterations(1), 5);
    String stage = "seed 3 · SFT test";
    Path straight = tmp.resolve("straight");
    new Pipeline(PipelineTest.setup(TabularStudent.factory()), config, straight, p -> {}).run();
    Path killed = tmp.resolve("killed");
    int[] doneAtKill = {-1};
    assertThatThrownBy(() -> new Pipeline(PipelineTest.setup(TabularStudent.factory()), config, killed, p -> {
      if (p.stage().equals(stage) && p.done() >= 5 && p.done() < p.total()) {
        doneAtKill[0] = (int) p.done();
        throw new IllegalStateException("killed in evaluation");
      }
    }).run()).hasMessageContaining("killed in evaluation");
    List<Progress> resumed = new ArrayList<>();
    new Pipeline(PipelineTest.setup(TabularStudent.factory()), config, killed, resumed::add).run();
    assertThat(resumed.stream().filter(p -> p.stage().equals(stage)).mapToLong(Progress::total).max().orElseThrow())
        .isEqualTo(PipelineTest.TEST.size() - doneAtKill[0]);
    Map<String, byte[]> expected = PipelineTest.outputs(straight);
    Map<String, byte[]> actual = PipelineTest.outputs(killed);
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach((rel, bytes) -> assertThat(actual.get(rel)).as(rel).isEqualTo(bytes));
  }

  @Test
  void eachTrainingStageGetsAProgressDirectoryRemovedOnceItIsFinished(@TempDir Path tmp) throws Exception {
    List<TrainingCheckpoints> given = new ArrayList<>();
    StudentFactory tabular = TabularStudent.factory();
    StudentFactory recording = new StudentFactory() {
      @Override
      public String describe() {
        return tabular.describe();
      }

      @Override
      public StudentModel base() {
        return wrap(tabular.base());
      }

      @Override
      public StudentModel load(Path directory) {
        return wrap(tabular.load(directory));
      }

      StudentModel wrap(StudentModel m) {
        return new StudentModel() {
          @Override
          public TrainingReport train(List<TrainingExample> examples, long seed, ProgressListener progress,
              TrainingCheckpoints checkpoints) {
            given.add(checkpoints);
            try {
              Files.createDirectories(checkpoints.dir().resolve("checkpoint-" + checkpoints.every()));
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            return m.train(examples, seed);
          }

          @Override
          public TrainingReport train(List<TrainingExample> examples, long seed) {
            throw new AssertionError("the pipeline trains with checkpoints");
          }

          @Override
          public TrainingReport trainPreferences(List<PreferencePair> pairs, long seed) {
            return m.trainPreferences(pairs, seed);
          }

          @Override
          public List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling) {
            return m.generate(requests, sampling);
          }

          @Override
          public void save(Path directory) {
            m.save(directory);
          }
        };
      }
    };
    PipelineConfig config = new PipelineConfig(List.of(new Method.Sft(), new Method.Rft(1)), List.of(1L),
        org.eef4j.core.agent.RolloutOptions.defaults().withMaxSteps(8), 
        org.eef4j.core.method.EefOptions.defaults().withIterations(1), 5, 7);
    Path dir = tmp.resolve("run");
    new Pipeline(PipelineTest.setup(recording), config, dir, p -> {}).run();
    assertThat(given).extracting(TrainingCheckpoints::dir).containsExactly(
        dir.toAbsolutePath().resolve("seed-1/sft/train.progress"),
        dir.toAbsolutePath().resolve("seed-1/rft/iter-1/train.progress"));
    assertThat(given).allSatisfy(c -> assertThat(c.dir()).doesNotExist());
    assertThat(given).extracting(TrainingCheckpoints::every).containsOnly(7); // the config's checkpoint_every
  }
}
