package org.eef4j.engine.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.eef4j.engine.model.Batch;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.train.AdamW;
import org.eef4j.engine.train.LrSchedule;
import org.junit.jupiter.api.Test;

/** The DPO loss, its gradient through the model checked by finite differences, and that training widens the margin. */
class DpoTest {

  static final ModelConfig TINY = new ModelConfig("llama", 23, 8, 16, 1, 2, 1, 4, 1e-5, 10000, false, false, false, 64);

  /** A prompt of 4 tokens then a continuation whose tokens are the targets. */
  static Batch sequence(SplittableRandom rnd, int length) {
    int[] ids = new int[length];
    int[] mask = new int[length];
    for (int i = 0; i < length; i++) {
      ids[i] = rnd.nextInt(TINY.vocabSize());
      mask[i] = i >= 4 ? 1 : 0;
    }
    return new Batch(1, length, ids, mask);
  }

  static List<DpoObjective.Pair> pairs(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(i -> new DpoObjective.Pair(sequence(rnd, 7 + i), sequence(rnd, 9 - i % 3)))
        .toList();
  }

  @Test
  void lossAndDerivativesMatchTheFormula() {
    DpoLoss dpo = new DpoLoss(0.5);
    DpoLoss.Value v = dpo.of(-3, -5, -4, -4.5);
    double z = 0.5 * ((-3 + 4) - (-5 + 4.5));
    assertThat(v.margin()).isEqualTo(1.5);
    assertThat(v.loss()).isCloseTo(-Math.log(1 / (1 + Math.exp(-z))), org.assertj.core.data.Offset.offset(1e-12));
    double h = 1e-6;
    double numeric = (dpo.of(-3 + h, -5, -4, -4.5).loss() - dpo.of(-3 - h, -5, -4, -4.5).loss()) / (2 * h);
    assertThat(v.dChosen()).isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-8));
    numeric = (dpo.of(-3, -5 + h, -4, -4.5).loss() - dpo.of(-3, -5 - h, -4, -4.5).loss()) / (2 * h);
    assertThat(v.dRejected()).isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-8));
    // huge margins neither overflow nor lose the gradient's sign
    assertThat(dpo.of(0, 2000, 0, 0).loss()).isCloseTo(1000, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(dpo.of(2000, 0, 0, 0).loss()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-12));
    assertThatThrownBy(() -> new DpoLoss(0)).hasMessageContaining("beta");
  }

  @Test
  void gradientThroughTheModelMatchesFiniteDifferences() {
    Parameters policyParams = ModelInit.normal(TINY, 1, 0.3);
    LlamaModel policy = new LlamaModel(policyParams);
    LlamaModel reference = new LlamaModel(ModelInit.normal(TINY, 2, 0.3));
    DpoObjective objective = new DpoObjective(policy, reference, new DpoLoss(1.0));
    List<DpoObjective.Pair> pairs = pairs(3, 5);
    List<DpoObjective.Reference> refs = pairs.stream().map(objective::reference).toList();

    Parameters grads = new Parameters(policyParams.layout());
    objective.lossAndGradient(pairs, refs, grads);
    float[] w = policyParams.data();
    float[] g = grads.data();
    double max = 0;
    for (float x : g) max = Math.max(max, Math.abs(x));
    assertThat(max).isGreaterThan(1e-3);
    SplittableRandom rnd = new SplittableRandom(9);
    float h = 1e-2f;
    int checked = 0;
    for (int s = 0; s < 60; s++) {
      int i = rnd.nextInt(w.length);
      float keep = w[i];
      w[i] = keep + h;
      double up = objective.loss(pairs, refs).loss();
      w[i] = keep - h;
      double down = objective.loss(pairs, refs).loss();
      w[i] = keep;
      double numeric = (up - down) / (2 * h);
      assertThat(Math.abs(numeric - g[i])).as("weight %d: numeric %s analytic %s", i, numeric, g[i])
          .isLessThanOrEqualTo(2e-3 * max + 2e-4);
      if (Math.abs(g[i]) > 1e-2 * max) checked++;
    }
    assertThat(checked).as("sampled weights with a non-negligible gradient").isGreaterThan(10);
  }

  @Test
  void aFewStepsWidenTheChosenOverRejectedMargin() {
    Parameters start = ModelInit.normal(TINY, 4, 0.3);
    LlamaModel policy = new LlamaModel(start.copy());
    LlamaModel reference = new LlamaModel(start);
    DpoTrainer trainer = new DpoTrainer(policy, reference, new DpoLoss(0.1), LrSchedule.constant(1e-2), 1.0,
        new AdamW.Settings(0.9, 0.999, 1e-8, 0.0));
    List<DpoObjective.Pair> pairs = pairs(4, 11);
    List<DpoObjective.Reference> refs = pairs.stream().map(trainer.objective()::reference).toList();
    DpoObjective.Result before = trainer.objective().loss(pairs, refs);
    assertThat(before.margin()).as("policy equals reference at the start").isCloseTo(0,
        org.assertj.core.data.Offset.offset(1e-4));
    assertThat(before.loss()).isCloseTo(Math.log(2), org.assertj.core.data.Offset.offset(1e-4));
    for (int i = 0; i < 10; i++) trainer.step(pairs, refs);
    DpoObjective.Result after = trainer.objective().loss(pairs, refs);
    assertThat(after.margin()).isGreaterThan(1.0);
    assertThat(after.loss()).isLessThan(before.loss());
  }

  static Batch pad(Batch b, int seq) {
    return new Batch(1, seq, java.util.Arrays.copyOf(b.ids(), seq), java.util.Arrays.copyOf(b.lossMask(), seq));
  }

  @Test
  void paddingAfterTheEndChangesNoSequenceLogProbability() {
    LlamaModel model = new LlamaModel(ModelInit.normal(TINY, 1, 0.3));
    DpoObjective objective = new DpoObjective(model, model, new DpoLoss(0.1));
    DpoObjective.Pair pair = pairs(1, 3).getFirst();
    DpoObjective.Reference plain = objective.reference(pair);
    DpoObjective.Reference padded = objective.reference(new DpoObjective.Pair(pad(pair.chosen(), 16),
        pad(pair.rejected(), 16)));
    assertThat(padded.chosen()).isCloseTo(plain.chosen(), org.assertj.core.data.Offset.offset(1e-4));
    assertThat(padded.rejected()).isCloseTo(plain.rejected(), org.assertj.core.data.Offset.offset(1e-4));
    assertThat(plain.chosen()).isNegative();
  }
}
