package org.eef4j.engine.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.eef4j.engine.FiniteDifferences;
import org.eef4j.engine.lora.LoraAdapter;
import org.eef4j.engine.lora.LoraConfig;
import org.eef4j.engine.model.Batch;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.train.AdamW;
import org.eef4j.engine.train.LrSchedule;
import org.eef4j.engine.train.TrainedModel;
import org.eef4j.engine.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * The DPO loss, its gradient through the model (full and LoRA) checked by finite differences, that the engine's
 * trainer stepping it widens the margin, and that a DPO training resumed mid-way ends with the same bytes.
 */
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
    DpoObjective objective = new DpoObjective(reference, new DpoLoss(1.0));
    List<DpoObjective.Pair> pairs = pairs(3, 5);
    List<DpoObjective.Reference> refs = pairs.stream().map(objective::reference).toList();

    Parameters grads = new Parameters(policyParams.layout());
    objective.of(pairs, refs).lossAndGradient(TrainedModel.full(policy, grads));
    checkAgainstFiniteDifferences(policyParams.data(), grads.data(), () -> objective.loss(policy, pairs, refs).loss());
  }

  /**
   * Through a LoRA adapter: DPO runs both sides' forwards before their backwards, and the adapter keeps what its
   * backward needs from the last forward, so the chosen side's gradient is right only when its forward's state is
   * brought back (the sides differ in length, so the rejected side's state would not even fit).
   */
  @Test
  void gradientThroughAnAdapterMatchesFiniteDifferences() {
    Parameters base = ModelInit.normal(TINY, 1, 0.3);
    LlamaModel policy = new LlamaModel(base);
    LoraAdapter adapter = new LoraAdapter(TINY, new LoraConfig(2, 4, 0, LoraConfig.allProjections())).initialise(3);
    SplittableRandom rnd = new SplittableRandom(4);
    float[] aw = adapter.weights();
    for (int i = 0; i < aw.length; i++) aw[i] = (float) rnd.nextDouble(-0.5, 0.5); // B non-zero: the policy moved
    policy.setProjectionHook(adapter);
    DpoObjective objective = new DpoObjective(new LlamaModel(base), new DpoLoss(1.0));
    List<DpoObjective.Pair> pairs = pairs(3, 5);
    List<DpoObjective.Reference> refs = pairs.stream().map(objective::reference).toList();

    objective.of(pairs, refs).lossAndGradient(TrainedModel.adapter(policy, adapter));
    checkAgainstFiniteDifferences(aw, adapter.grads(), () -> objective.loss(policy, pairs, refs).loss());
  }

  private static void checkAgainstFiniteDifferences(float[] w, float[] g, java.util.function.DoubleSupplier loss) {
    new FiniteDifferences(60, 1e-2f, 9, 1e-2, 10).check("DPO", w, g, loss);
  }

  static Trainer.Config config() {
    return new Trainer.Config(LrSchedule.constant(1e-2), 1.0, new AdamW.Settings(0.9, 0.999, 1e-8, 0.0));
  }

  @Test
  void aFewStepsWidenTheChosenOverRejectedMargin() {
    Parameters start = ModelInit.normal(TINY, 4, 0.3);
    LlamaModel policy = new LlamaModel(start.copy());
    DpoObjective objective = new DpoObjective(new LlamaModel(start), new DpoLoss(0.1));
    Trainer trainer = new Trainer(policy, config());
    List<DpoObjective.Pair> pairs = pairs(4, 11);
    List<DpoObjective.Reference> refs = pairs.stream().map(objective::reference).toList();
    DpoObjective.Result before = objective.loss(policy, pairs, refs);
    assertThat(before.margin()).as("policy equals reference at the start").isCloseTo(0,
        org.assertj.core.data.Offset.offset(1e-4));
    assertThat(before.loss()).isCloseTo(Math.log(2), org.assertj.core.data.Offset.offset(1e-4));
    for (int i = 0; i < 10; i++) trainer.step(objective.of(pairs, refs));
    DpoObjective.Result after = objective.loss(policy, pairs, refs);
    assertThat(after.margin()).isGreaterThan(1.0);
    assertThat(after.loss()).isLessThan(before.loss());
  }

  @Test
  void anAdapterLearnsThePreferenceAndTheBaseStaysAsItWas() {
    Parameters base = ModelInit.normal(TINY, 4, 0.3);
    float[] baseBefore = base.data().clone();
    LlamaModel policy = new LlamaModel(base);
    LoraAdapter adapter = new LoraAdapter(TINY, new LoraConfig(4, 8, 0.1, LoraConfig.allProjections())).initialise(5);
    // a fresh adapter (B = 0) changes nothing, so the base model itself is the reference
    DpoObjective objective = new DpoObjective(new LlamaModel(base), new DpoLoss(0.1));
    Trainer trainer = new Trainer(policy, adapter, config(), 7);
    List<DpoObjective.Pair> pairs = pairs(4, 11);
    List<DpoObjective.Reference> refs = pairs.stream().map(objective::reference).toList();
    assertThat(objective.loss(policy, pairs, refs).margin()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-4));
    for (int i = 0; i < 15; i++) trainer.step(objective.of(pairs, refs));
    assertThat(objective.loss(policy, pairs, refs).margin()).isGreaterThan(0.5);
    assertThat(base.data()).containsExactly(baseBefore);
  }

  /** Steps 0..k-1, then a new trainer from the saved weights and optimiser takes the rest: the same bytes as one run. */
  @Test
  void aTrainingResumedMidwayEndsWithTheSameBytes() {
    for (boolean lora : new boolean[] {false, true}) {
      float[] straight = dpoSteps(lora, 0, 6, null).weights();
      Saved half = dpoSteps(lora, 0, 3, null);
      Saved resumed = dpoSteps(lora, 3, 6, half);
      assertThat(resumed.weights()).as(lora ? "LoRA" : "full").containsExactly(straight);
      assertThat(resumed.weights()).as("training moved the weights").isNotEqualTo(half.weights());
    }
  }

  private record Saved(float[] weights, AdamW.State optimizer) {}

  /**
   * DPO steps {@code from..to-1} over two pairs a step, each in a new process's objects: the model from its start (or
   * {@code saved}'s weights), the trainer resumed from {@code saved}'s optimiser. With LoRA (dropout on) the adapter's
   * weights are what trains and is saved.
   */
  private static Saved dpoSteps(boolean lora, int from, int to, Saved saved) {
    Parameters start = ModelInit.normal(TINY, 4, 0.3);
    Parameters weights = start.copy();
    LoraAdapter adapter = lora
        ? new LoraAdapter(TINY, new LoraConfig(2, 4, 0.2, LoraConfig.allProjections())).initialise(9) : null;
    float[] trained = lora ? adapter.weights() : weights.data();
    if (saved != null) System.arraycopy(saved.weights(), 0, trained, 0, trained.length);
    DpoObjective objective = new DpoObjective(new LlamaModel(start), new DpoLoss(0.1));
    Trainer trainer = new Trainer(new LlamaModel(weights), adapter, config(), 17);
    if (saved != null) trainer.resume(saved.optimizer());
    List<DpoObjective.Pair> pairs = pairs(6, 13);
    List<DpoObjective.Reference> refs = pairs.stream().map(objective::reference).toList();
    for (int k = from; k < to; k++) {
      int first = 2 * k % pairs.size();
      trainer.step(objective.of(pairs.subList(first, first + 2), refs.subList(first, first + 2)));
    }
    return new Saved(trained.clone(), trainer.optimizerState());
  }

  static Batch pad(Batch b, int seq) {
    return new Batch(1, seq, java.util.Arrays.copyOf(b.ids(), seq), java.util.Arrays.copyOf(b.lossMask(), seq));
  }

  @Test
  void paddingAfterTheEndChangesNoSequenceLogProbability() {
    LlamaModel model = new LlamaModel(ModelInit.normal(TINY, 1, 0.3));
    DpoObjective objective = new DpoObjective(model, new DpoLoss(0.1));
    DpoObjective.Pair pair = pairs(1, 3).getFirst();
    DpoObjective.Reference plain = objective.reference(pair);
    DpoObjective.Reference padded = objective.reference(new DpoObjective.Pair(pad(pair.chosen(), 16),
        pad(pair.rejected(), 16)));
    assertThat(padded.chosen()).isCloseTo(plain.chosen(), org.assertj.core.data.Offset.offset(1e-4));
    assertThat(padded.rejected()).isCloseTo(plain.rejected(), org.assertj.core.data.Offset.offset(1e-4));
    assertThat(plain.chosen()).isNegative();
  }
}
