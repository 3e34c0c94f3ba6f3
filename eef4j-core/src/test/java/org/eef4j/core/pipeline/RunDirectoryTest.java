package org.eef4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One owner per run directory, its record compared on resume; the pipeline's part is PipelineOwnershipTest. */
class RunDirectoryTest {

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
    // the machine a run starts on and the eef4j that started it are recorded, never compared
    RunDirectory.own(dir, RunStore.RUN.toJson().put("a", 1).put("machine", "y").put("eef4j_version", "v2")).close();
  }

  @Test
  void aReportHoldsTheLockOnlyAndIsRefusedWhileARunHoldsIt(@TempDir Path dir) throws Exception {
    var record = RunStore.RUN.toJson().put("name", "a");
    try (RunDirectory run = RunDirectory.own(dir, record)) {
      assertThatThrownBy(() -> RunDirectory.hold(dir))
          .isInstanceOf(RunDirectory.RefusedException.class)
          .hasMessageContaining("in use by another run");
    }
    byte[] recorded = Files.readAllBytes(dir.resolve("run.json"));
    Files.writeString(dir.resolve(".report.md.tmp"), "a writer's half file");
    try (RunDirectory held = RunDirectory.hold(dir)) {
      assertThatThrownBy(() -> RunDirectory.own(dir, record)).hasMessageContaining("in use by another run");
    }
    assertThat(Files.readAllBytes(dir.resolve("run.json"))).isEqualTo(recorded);
    assertThat(dir.resolve(".report.md.tmp")).exists(); // holding removes nothing
    RunDirectory.own(dir, record).close();
  }
}
