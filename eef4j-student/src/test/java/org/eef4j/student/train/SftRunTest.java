package org.eef4j.student.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.engine.io.DType;
import org.eef4j.engine.io.ModelFiles;
import org.eef4j.engine.model.ModelInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped part-way and resumed ends with the same bytes as one that never stopped. The pom runs this class on the
 * scalar kernels (see its comment): the vector kernels round differently before and after JIT compilation.
 */
class SftRunTest {

  static Path baseModel(Path dir) {
    Tiny.BPE.save(dir);
    ModelFiles.save(dir, ModelInit.normal(Tiny.config(), 1), DType.F32);
    return dir;
  }

  static List<TrainingExample> data() {
    List<TrainingExample> out = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      out.add(new TrainingExample("e" + i, List.of(
          new TrainingMessage(Role.USER, "Observation: the results page " + i + " shows item " + i, false),
          new TrainingMessage(Role.ASSISTANT, "Action: click[item " + i + "]", i % 3 != 0),
          new TrainingMessage(Role.USER, "Observation: item " + i, false),
          new TrainingMessage(Role.ASSISTANT, "Action: click[buy now]", true))));
    }
    return out;
  }

  static String sha256(Path file) throws IOException {
    try {
      return java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // batches of at most two conversations: 6 steps an epoch, 12 in all
  static final SftRun.Settings SETTINGS = new SftRun.Settings(new SftOptions(2, 3e-3, 0.1, 128, 64, 0.01, 1.0), 9, 3,
      0);

  @Test
  void aStoppedRunResumedFromItsCheckpointEndsExactlyAsAnUninterruptedOne(@TempDir Path tmp) throws IOException {
    Path base = baseModel(tmp.resolve("base"));
    List<Integer> seen = new ArrayList<>();
    SftRun.Outcome whole = SftRun.run(base, data(), tmp.resolve("a"), SETTINGS, false, s -> seen.add(s.step()));
    assertThat(whole.totalSteps()).isGreaterThan(6);
    assertThat(whole.stepsDone()).isEqualTo(whole.totalSteps());
    assertThat(whole.finalModel()).contains(tmp.resolve("a/final"));
    assertThat(seen).hasSize(whole.totalSteps());

    Path b = tmp.resolve("b");
    SftRun.Settings stopAt5 = new SftRun.Settings(SETTINGS.options(), SETTINGS.seed(), SETTINGS.saveEvery(), 5);
    SftRun.Outcome stopped = SftRun.run(base, data(), b, stopAt5, false, s -> {});
    assertThat(stopped.stepsDone()).isEqualTo(5);
    assertThat(stopped.finalModel()).isEmpty();
    assertThat(Files.list(b).map(p -> p.getFileName().toString()).toList()).containsExactly("checkpoint-3");

    assertThatThrownBy(() -> SftRun.run(base, data(), b, SETTINGS, false, s -> {}))
        .hasMessageContaining("--resume");
    SftRun.Settings otherSeed = new SftRun.Settings(SETTINGS.options(), 10, SETTINGS.saveEvery(), 0);
    assertThatThrownBy(() -> SftRun.run(base, data(), b, otherSeed, true, s -> {}))
        .hasMessageContaining("other data, seed or options");

    List<Integer> resumedSteps = new ArrayList<>();
    SftRun.Outcome resumed = SftRun.run(base, data(), b, SETTINGS, true, s -> resumedSteps.add(s.step()));
    assertThat(resumedSteps.getFirst()).isEqualTo(3);
    assertThat(resumed.stepsDone()).isEqualTo(whole.totalSteps());
    assertThat(sha256(tmp.resolve("b/final/model.safetensors"))).isEqualTo(sha256(tmp.resolve("a/final/model.safetensors")));
    assertThat(sha256(tmp.resolve("b/final/optimizer.safetensors")))
        .isEqualTo(sha256(tmp.resolve("a/final/optimizer.safetensors")));
    assertThat(resumed.lastLoss()).isEqualTo(whole.lastLoss());
    assertThat(Files.list(b).map(p -> p.getFileName().toString()).toList()).contains("final")
        .noneMatch(n -> n.endsWith(".tmp"));
    // resuming a finished run does nothing
    assertThat(SftRun.run(base, data(), b, SETTINGS, true, s -> assertThat(s).isNull()).stepsDone())
        .isEqualTo(whole.totalSteps());
  }
}
