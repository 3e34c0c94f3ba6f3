package org.eef4j.student.train;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.engine.lora.LoraAdapter;
import org.eef4j.engine.model.Batch;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.train.AdamW;
import org.eef4j.engine.train.LrSchedule;
import org.eef4j.engine.train.Trainer;

/**
 * Supervised fine-tuning as a sequence of steps fixed up front, each run by the engine's {@link Trainer}: every epoch's
 * batches are planned from the seed ({@link LengthBatches}, reshuffled per epoch), so step k is the same batch in any
 * run with the same data and seed. With the weights and the optimiser's state saved after step k, a resumed run
 * continues exactly where an uninterrupted one would be.
 *
 * <p>What is the student's here is the plan (conversations cut to the context, batched by length, epochs); the step
 * itself (learning rate, forward and backward, clip, AdamW, zero; full or LoRA) is the engine's one training loop.
 */
public final class SftSteps extends PlannedSteps {

  /** What one step did. */
  public record Step(int step, int totalSteps, int epoch, double loss, double gradNorm, double lr, int rows,
      long targets, long tokens) {}

  private final List<Batch> steps = new ArrayList<>();
  private final int[] epochOf;
  private final Trainer trainer;

  public SftSteps(LlamaModel model, List<MaskedTokens> data, SftOptions options, long seed) {
    this(model, null, data, options, seed);
  }

  /** Training only {@code adapter} (null for full fine-tuning) on a frozen {@code model}. */
  public SftSteps(LlamaModel model, LoraAdapter adapter, List<MaskedTokens> data, SftOptions options, long seed) {
    int context = Math.min(options.maxSeq(), model.config().maxPositionEmbeddings());
    List<MaskedTokens> cut = data.stream().map(c -> c.truncate(context)).toList();
    List<Integer> epochs = new ArrayList<>();
    for (int e = 0; e < options.epochs(); e++) {
      List<Batch> plan = LengthBatches.plan(cut, options.tokensPerBatch(), seed * 1_000_003L + e);
      steps.addAll(plan);
      for (int i = 0; i < plan.size(); i++) epochs.add(e);
    }
    if (steps.isEmpty()) throw new IllegalArgumentException("no training example has a token to learn");
    this.epochOf = epochs.stream().mapToInt(Integer::intValue).toArray();
    int warmup = (int) Math.round(options.warmupFraction() * steps.size());
    Trainer.Config config = new Trainer.Config(new LrSchedule(options.lr(), 0, warmup, steps.size()),
        options.maxGradNorm(), new AdamW.Settings(0.9, 0.999, 1e-8, options.weightDecay(), false));
    this.trainer = new Trainer(model, adapter, config, seed);
  }

  @Override
  protected Trainer trainer() {
    return trainer;
  }

  @Override
  public int totalSteps() {
    return steps.size();
  }

  /** Runs the next step, reporting it as SFT does (epoch, gradient norm, tokens: {@link SftRun}'s progress). */
  public Step step() {
    if (done()) throw new IllegalStateException("all " + steps.size() + " steps are done");
    int k = position();
    Batch b = steps.get(k);
    Trainer.Step<?> s = trainer.step(b);
    int[] mask = b.lossMask();
    long targets = 0;
    for (int r = 0; r < b.batch(); r++) for (int t = 1; t < b.seq(); t++) targets += mask[r * b.seq() + t];
    return new Step(k, steps.size(), epochOf[k], s.loss(), s.gradNorm(), s.lr(), b.batch(), targets, b.tokens());
  }

  @Override
  public Done next() {
    Step s = step();
    return new Done(s.step(), s.loss(), s.lr(), s.rows(), s.targets(), String.format("sft step %d/%d epoch %d loss %.4f",
        s.step() + 1, s.totalSteps(), s.epoch() + 1, s.loss()));
  }
}
