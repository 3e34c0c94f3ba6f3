package org.eef4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eef4j.toyshop.TabularStudent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing is written into a run directory by a run that does not own it. */
class RunDirectoryTest {

  @Test
  void aDifferentConfigIsRefusedNamingTheFirstKeyThatDiffersAndNothingIsWritten(@TempDir Path dir) throws Exception {
    new Pipeline(PipelineTest.setup(TabularStudent.factory()), PipelineTest.config(1, List.of(1L)), dir, p -> {}).run();
    byte[] record = Files.readAllBytes(dir.resolve("run.json"));
    long files = PipelineTest.outputs(dir).size();

    assertThatThrownBy(
            () -> new Pipeline(PipelineTest.setup(TabularStudent.factory()), PipelineTest.config(2, List.of(1L)), dir,
                p -> {}).run())
        .isInstanceOf(RunDirectory.RefusedException.class)
        .hasMessageContaining("records a different run: config.eef.iterations: 1 in run.json, 2 in this run");
    assertThatThrownBy(
            () -> new Pipeline(PipelineTest.setup(TabularStudent.factory()), PipelineTest.config(1, List.of(1L, 2L)),
                dir, p -> {}).run())
        .hasMessageContaining("config.seeds: 1 entries in run.json, 2 in this run");
    assertThat(Files.readAllBytes(dir.resolve("run.json"))).isEqualTo(record);
    assertThat(PipelineTest.outputs(dir)).hasSize((int) files);
  }

  @Test
  void aDirectoryWithFilesButNoRunRecordIsNotARunDirectory(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "mine");
    assertThatThrownBy(
            () -> new Pipeline(PipelineTest.setup(TabularStudent.factory()), PipelineTest.config(1, List.of(1L)), dir,
                p -> {}).run())
        .isInstanceOf(RunDirectory.RefusedException.class)
        .hasMessageContaining("holds files (notes.txt) but no run.json");
    assertThat(dir.resolve("run.json")).doesNotExist();
    assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("mine");
  }

  @Test
  void anOwnedDirectoryIsRefusedToASecondOwnerAndFreedOnClose(@TempDir Path dir) {
    var record = RunStore.RUN.toJson().put("name", "a");
    try (RunDirectory owner = RunDirectory.own(dir, record)) {
      assertThatThrownBy(() -> RunDirectory.own(dir, record))
          .isInstanceOf(RunDirectory.RefusedException.class)
          .hasMessageContaining("in use by another run");
      assertThat(owner.root()).isEqualTo(dir.toAbsolutePath());
    }
    RunDirectory.own(dir, record).close();
  }

  @Test
  void temporariesAKilledWriterLeftAreRemovedWhenTheDirectoryIsOwnedAgain(@TempDir Path dir) throws Exception {
    var record = RunStore.RUN.toJson().put("name", "a");
    RunDirectory.own(dir, record).close();
    Path staleFile = dir.resolve("seed-1/sft/.train.openai.jsonl.k3j2.tmp");
    Path staleDir = dir.resolve("seed-1/sft/.checkpoint.tmp");
    Files.createDirectories(staleDir);
    Files.writeString(staleFile, "half a file");
    Files.writeString(staleDir.resolve("model.safetensors"), "half a model");
    Files.writeString(dir.resolve("seed-1/sft/train.openai.jsonl"), "kept");

    RunDirectory.own(dir, record).close();
    assertThat(staleFile).doesNotExist();
    assertThat(staleDir).doesNotExist();
    assertThat(dir.resolve("seed-1/sft/train.openai.jsonl")).hasContent("kept");
  }

  @Test
  void laterPartsOfARecordAreAddedOnceAndThenCompared(@TempDir Path dir) {
    try (RunDirectory owner = RunDirectory.own(dir, RunStore.RUN.toJson().put("a", 1).put("machine", "x"))) {
      owner.agree(RunStore.RUN.toJson().put("b", "two"), true);
      owner.agree(RunStore.RUN.toJson().put("b", "two"), false);
      assertThatThrownBy(() -> owner.agree(RunStore.RUN.toJson().put("b", "three"), true))
          .hasMessageContaining("b: \"two\" in run.json, \"three\" in this run");
      assertThatThrownBy(() -> owner.agree(RunStore.RUN.toJson().put("c", 3), false))
          .hasMessageContaining("c: not in run.json");
    }
    // the machine a run starts on is recorded, never compared
    RunDirectory.own(dir, RunStore.RUN.toJson().put("a", 1).put("machine", "y")).close();
  }
}
