package org.eef4j.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eef4j.core.pipeline.Pipeline;
import org.eef4j.core.pipeline.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebShop's scripted expert plays in the pipeline's expert stage ({@code experts/NAME/}), so a run killed inside or
 * after that stage resumes like any other: the finished stage is not played again, the unfinished one is, and the run
 * ends with the files of a run never killed; nothing is written outside the stage.
 */
class ExpertStageResumeTest {

  static final String SHOP =
      """
      environment: {kind: webshop, train_tasks: 6, test_tasks: 4}
      experts:
        - {name: gpt4, kind: scripted, profile: gpt4}
        - {name: gpt35, kind: scripted, profile: gpt35}
      student: {kind: engine, vocab: 320, hidden: 16, intermediate: 32, layers: 1, heads: 2, max_seq: 1024}
      methods: [expert, "expert:gpt35"]
      rollout: {max_steps: 6}
      """;

  /** A run's outputs by relative path, without timings (compute files) and the lock. */
  static Map<String, byte[]> outputs(Path root) throws Exception {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String name = p.getFileName().toString();
        if (!name.endsWith("compute.json") && !name.equals(".lock") && !name.equals("run.json")) {
          out.put(root.relativize(p).toString(), Files.readAllBytes(p));
        }
      }
    }
    return out;
  }

  /** As {@code eef4j run} does: owns the directory, then opens the environment into it and runs the pipeline. */
  static void run(RunConfig cfg, Path dir, org.eef4j.core.progress.ProgressListener progress) {
    try (RunDirectory owner = RunDirectory.own(dir, RunIdentity.of(cfg))) {
      new Pipeline(cfg.setup(dir), cfg.pipeline(), dir, progress).run(owner);
    }
  }

  @Test
  void aRunKilledAfterOneExpertStageAndInsideTheNextEndsWithTheSameFiles(@TempDir Path tmp) throws Exception {
    RunConfig cfg = RunConfig.parse(SHOP, "shop.yaml", tmp);
    Path straight = tmp.resolve("straight");
    run(cfg, straight, p -> {});
    assertThat(straight.resolve("inputs/experts")).doesNotExist();
    assertThat(straight.resolve("experts/gpt4/train.trajectories.jsonl")).exists();

    // killed inside gpt35's stage: played, nothing of it written yet
    Path killed = tmp.resolve("killed");
    assertThatThrownBy(() -> run(cfg, killed, p -> {
      if (p.stage().equals("expert gpt35")) throw new IllegalStateException("killed in the expert stage");
    })).hasMessageContaining("killed in the expert stage");
    Path first = killed.resolve("experts/gpt4/train.trajectories.jsonl");
    assertThat(first).exists();
    assertThat(killed.resolve("experts/gpt35/train.trajectories.jsonl")).doesNotExist();
    FileTime written = Files.getLastModifiedTime(first);
    Thread.sleep(20); // a rewrite would show in the modification time

    boolean[] replayedFirst = {false};
    run(cfg, killed, p -> replayedFirst[0] |= p.stage().equals("expert gpt4"));
    assertThat(replayedFirst[0]).as("the finished expert stage is not played again").isFalse();
    assertThat(Files.getLastModifiedTime(first)).isEqualTo(written);
    assertSameFiles(straight, killed);

    // killed after the stage wrote its files and before its marker: the stage plays again, to the same bytes
    Path unmarked = tmp.resolve("unmarked");
    run(cfg, unmarked, p -> {});
    Files.delete(unmarked.resolve("experts/gpt35/play.compute.json"));
    Files.delete(unmarked.resolve("metrics.json"));
    run(cfg, unmarked, p -> {});
    assertSameFiles(straight, unmarked);
  }

  static void assertSameFiles(Path expectedDir, Path actualDir) throws Exception {
    Map<String, byte[]> expected = outputs(expectedDir);
    Map<String, byte[]> actual = outputs(actualDir);
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach((rel, bytes) -> assertThat(actual.get(rel)).as(rel).isEqualTo(bytes));
  }
}
