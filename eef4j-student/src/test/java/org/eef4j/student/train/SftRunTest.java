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
 * A run stopped part-way and resumed ends with the same bytes as one that never stopped. The pom runs this class in JVMs
 * of its own, on the default (vector) kernels and on the scalar ones: the uninterrupted run starts cold, with kernels
 * interpreted and then compiled part-way, while the resumed one runs compiled code, so a kernel whose rounding depends on
 * the JIT shows here as different bytes.
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
    assertThat(Files.list(b).map(p -> p.getFileName().toString()).toList()).containsExactly("checkpoint-5");

    assertThatThrownBy(() -> SftRun.run(base, data(), b, SETTINGS, false, s -> {}))
        .hasMessageContaining("--resume");
    SftRun.Settings otherSeed = new SftRun.Settings(SETTINGS.options(), 10, SETTINGS.saveEvery(), 0);
    assertThatThrownBy(() -> SftRun.run(base, data(), b, otherSeed, true, s -> {}))
        .hasMessageContaining("other data, seed or options");

    // what a run killed while saving checkpoint-8 leaves: removed when the run resumes
    Files.createDirectories(b.resolve(".checkpoint-8.tmp"));
    Files.writeString(b.resolve(".checkpoint-8.tmp/model.safetensors"), "half written");
    List<Integer> resumedSteps = new ArrayList<>();
    SftRun.Outcome resumed = SftRun.run(base, data(), b, SETTINGS, true, s -> resumedSteps.add(s.step()));
    assertThat(resumedSteps.getFirst()).isEqualTo(5);
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

  @Test
  void aLoraRunTrainsOnlyTheAdapterResumesExactlyAndMerges(@TempDir Path tmp) throws IOException {
    Path base = baseModel(tmp.resolve("base"));
    byte[] baseWeights = Files.readAllBytes(base.resolve("model.safetensors"));
    org.eef4j.engine.lora.LoraConfig lora = new org.eef4j.engine.lora.LoraConfig(4, 8, 0.1,
        org.eef4j.engine.lora.LoraConfig.targets(List.of("q_proj", "v_proj", "up_proj")));
    SftRun.Settings settings = new SftRun.Settings(new SftOptions(2, 1e-2, 0.1, 128, 64, 0.0, 1.0), 9, 3, 0, lora,
        true);
    List<Double> losses = new ArrayList<>();
    SftRun.Outcome whole = SftRun.run(base, data(), tmp.resolve("a"), settings, false, s -> losses.add(s.loss()));
    assertThat(tmp.resolve("a/final/adapter_model.safetensors")).isRegularFile();
    assertThat(tmp.resolve("a/final/adapter_config.json")).isRegularFile();
    assertThat(tmp.resolve("a/final/model.safetensors")).doesNotExist();
    assertThat(tmp.resolve("a/merged/model.safetensors")).isRegularFile();
    assertThat(tmp.resolve("a/merged/tokenizer.json")).isRegularFile();
    assertThat(Files.readAllBytes(base.resolve("model.safetensors"))).as("the base stays frozen").isEqualTo(baseWeights);
    assertThat(losses.getLast()).isLessThan(losses.getFirst());

    Path b = tmp.resolve("b");
    SftRun.Settings stop = new SftRun.Settings(settings.options(), 9, 3, 4, lora, true);
    SftRun.run(base, data(), b, stop, false, s -> {});
    SftRun.Outcome resumed = SftRun.run(base, data(), b, settings, true, s -> {});
    assertThat(resumed.stepsDone()).isEqualTo(whole.totalSteps());
    assertThat(sha256(b.resolve("final/adapter_model.safetensors")))
        .isEqualTo(sha256(tmp.resolve("a/final/adapter_model.safetensors")));
    assertThat(sha256(b.resolve("merged/model.safetensors"))).isEqualTo(sha256(tmp.resolve("a/merged/model.safetensors")));
  }
}
