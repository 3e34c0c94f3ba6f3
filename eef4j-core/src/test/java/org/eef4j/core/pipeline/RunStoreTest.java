package org.eef4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.eval.Compute;
import org.eef4j.core.format.FormatException;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.trajectory.TrainingExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {

  @Test
  void aStageIsFinishedExactlyWhenItsMarkerIsWrittenAndTheMarkerKeepsItsCompute(@TempDir Path root) {
    RunStore run = new RunStore(root);
    Path dir = run.iterationDir(3, new Method.Rft(6), 2);
    assertThat(dir).isEqualTo(root.resolve("seed-3/rft-x6/iter-2"));
    assertThat(run.finished(dir, "explore")).isFalse();
    Compute c = new Compute(10, 40, 500, 0, 1234, 0);
    run.finish(dir, "explore", c);
    assertThat(run.finished(dir, "explore")).isTrue();
    assertThat(run.compute(dir, "explore")).isEqualTo(c);
    assertThat(dir.resolve("explore.compute.json")).content().contains("\"format\" : \"eef4j-stage\"",
        "\"stage\" : \"seed-3/rft-x6/iter-2/explore\"");
  }

  @Test
  void filesOfAnotherFormatOrVersionAreRefusedNamingTheFile(@TempDir Path root) throws Exception {
    Path f = root.resolve("test.eval.json");
    Files.writeString(f, "{\"format\": \"eef4j-eval\", \"version\": 9}");
    assertThatThrownBy(() -> RunStore.readTagged(f, RunStore.EVAL))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("too new");
    Files.writeString(f, "{\"format\": \"eef4j-stage\", \"version\": 1}");
    assertThatThrownBy(() -> RunStore.readTagged(f, RunStore.EVAL)).hasMessageContaining("expected 'eef4j-eval'");
    String valid = "{\"format\": \"eef4j-eval\", \"version\": 1, \"evaluation\": {\"test_set\": \"t\","
        + " \"overall\": {\"tasks\": 1, \"win_rate\": 1.0, \"mean_score\": 1.0}, \"per_category\": {}},"
        + " \"skills\": {\"NEXT_PAGE\": 2}";
    Files.writeString(f, valid + "}");
    assertThat(RunStore.readTagged(f, RunStore.EVAL, TestReport.class).actions()).isEqualTo(2);
    // written before endings were recorded: they read as none
    assertThat(RunStore.readTagged(f, RunStore.EVAL, TestReport.class).endings()).isEmpty();
    Files.writeString(f, valid + ", \"endings\": {\"POLICY_FAILED\": 1}}");
    assertThat(RunStore.readTagged(f, RunStore.EVAL, TestReport.class).endings())
        .containsExactly(Map.entry(org.eef4j.core.trajectory.Termination.POLICY_FAILED, 1));
    Files.writeString(f, valid + ", \"skils\": {}}");
    assertThatThrownBy(() -> RunStore.readTagged(f, RunStore.EVAL, TestReport.class))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining("skils");
    Files.writeString(f, "{\"format\": ");
    assertThatThrownBy(() -> RunStore.readTagged(f, RunStore.EVAL)).hasMessageContaining("malformed JSON");
  }

  @Test
  void aCheckpointAppearsWholeAndReplacesALeftoverOfAKilledAttempt(@TempDir Path root) throws Exception {
    Path target = root.resolve("checkpoint");
    Files.createDirectories(root.resolve(".checkpoint.tmp"));
    Files.writeString(root.resolve(".checkpoint.tmp/half-written"), "x");
    Files.createDirectories(target);
    Files.writeString(target.resolve("stale"), "old");
    RunStore.saveCheckpoint(target, new Saving());
    assertThat(target.resolve("weights.bin")).hasContent("w");
    assertThat(target.resolve("stale")).doesNotExist();
    assertThat(root.resolve(".checkpoint.tmp")).doesNotExist();
  }

  /** A model that saves one file. */
  static final class Saving implements StudentModel {
    @Override
    public void save(Path directory) {
      try {
        Files.writeString(directory.resolve("weights.bin"), "w");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling) {
      throw new UnsupportedOperationException();
    }

    @Override
    public TrainingReport train(List<TrainingExample> examples, long seed) {
      throw new UnsupportedOperationException();
    }

    @Override
    public TrainingReport trainPreferences(List<PreferencePair> pairs, long seed) {
      throw new UnsupportedOperationException();
    }
  }
}
