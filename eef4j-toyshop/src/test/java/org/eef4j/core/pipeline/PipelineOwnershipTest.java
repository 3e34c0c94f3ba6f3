package org.eef4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eef4j.toyshop.TabularStudent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing is written into a run directory by a pipeline that does not own it (the toy shop's runs). */
class PipelineOwnershipTest {

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
}
