package org.eef4j.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.eef4j.engine.io.DType;
import org.eef4j.engine.io.ModelFiles;
import org.eef4j.engine.model.Activations;
import org.eef4j.engine.model.Batch;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.model.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

  private static final ModelConfig SMALL = new ModelConfig("llama", 32, 32, 64, 2, 4, 2, 8, 1e-5, 10000, true, false,
      false, 64);

  private static Trainer.Config config(double lr) {
    return new Trainer.Config(new LrSchedule(lr, lr / 10, 5, 60), 1.0, AdamW.Settings.pytorchDefaults());
  }

  @Test
  void memorisesASequence() {
    LlamaModel model = new LlamaModel(ModelInit.normal(SMALL, 3));
    Trainer trainer = new Trainer(model, config(1e-2));
    int[] ids = new int[2 * 16];
    for (int i = 0; i < ids.length; i++) ids[i] = (i * 7 + 3) % SMALL.vocabSize();
    Batch batch = Batch.allTargets(2, 16, ids);
    double first = trainer.step(batch).loss();
    Trainer.Step<?> last = null;
    for (int i = 0; i < 59; i++) last = trainer.step(batch);
    assertThat(first).isGreaterThan(3.0); // about ln 32 at initialisation
    assertThat(last.loss()).isLessThan(0.1);
    assertThat(last.step()).isEqualTo(59);
    assertThat(trainer.stepsTaken()).isEqualTo(60);
  }

  @Test
  void accumulatingTwoHalvesEqualsOneBatchWithEqualTargetCounts() {
    int[] ids = new int[4 * 8];
    for (int i = 0; i < ids.length; i++) ids[i] = (i * 13 + 5) % SMALL.vocabSize();
    Batch whole = Batch.allTargets(4, 8, ids);
    Batch first = Batch.allTargets(2, 8, java.util.Arrays.copyOfRange(ids, 0, 16));
    Batch second = Batch.allTargets(2, 8, java.util.Arrays.copyOfRange(ids, 16, 32));
    LlamaModel a = new LlamaModel(ModelInit.normal(SMALL, 5));
    LlamaModel b = new LlamaModel(ModelInit.normal(SMALL, 5));
    Trainer.Step<?> sa = new Trainer(a, config(1e-3)).step(whole);
    Trainer.Step<?> sb = new Trainer(b, config(1e-3)).step(List.of(first, second));
    assertThat(sb.loss()).isCloseTo(sa.loss(), org.assertj.core.data.Offset.offset(1e-5));
    assertThat(sb.gradNorm()).isCloseTo(sa.gradNorm(), org.assertj.core.data.Offset.offset(1e-5 * sa.gradNorm()));
    float[] wa = a.parameters().data();
    float[] wb = b.parameters().data();
    for (int i = 0; i < wa.length; i++) {
      assertThat(wb[i]).as("weight %d", i).isCloseTo(wa[i], org.assertj.core.data.Offset.offset(1e-6f));
    }
  }

  @Test
  void initialisedModelSavesAsAHuggingFaceDirectoryAndLoadsBack(@TempDir Path dir) {
    Parameters p = ModelInit.normal(SMALL, 11);
    assertThat(ModelInit.normal(SMALL, 11).data()).containsExactly(p.data());
    double std = 0;
    float[] emb = p.get("model.embed_tokens.weight");
    for (float x : emb) std += x * x;
    assertThat(Math.sqrt(std / emb.length)).isCloseTo(0.02, org.assertj.core.data.Offset.offset(0.002));
    assertThat(p.get("model.norm.weight")).containsOnly(1f);

    ModelFiles.save(dir, p, DType.F32);
    assertThat(dir.resolve("config.json")).exists();
    assertThat(dir.resolve("model.safetensors")).exists();
    Parameters back = ModelFiles.load(dir);
    assertThat(back.layout().config()).isEqualTo(SMALL);
    assertThat(back.data()).containsExactly(p.data());

    // the same model in BF16 gives nearly the same loss
    ModelFiles.save(dir.resolve("bf16"), p, DType.BF16);
    Parameters half = ModelFiles.load(dir.resolve("bf16"));
    Batch batch = Batch.allTargets(1, 8, new int[] {1, 2, 3, 4, 5, 6, 7, 8});
    LlamaModel m1 = new LlamaModel(back);
    LlamaModel m2 = new LlamaModel(half);
    Activations a = m1.newActivations(1, 8);
    assertThat(m2.forward(batch, a)).isCloseTo(m1.forward(batch, a), org.assertj.core.data.Offset.offset(1e-2));
  }
}
