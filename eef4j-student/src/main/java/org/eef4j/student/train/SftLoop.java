package org.eef4j.student.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eef4j.engine.lora.LoraAdapter;
import org.eef4j.engine.model.Activations;
import org.eef4j.engine.model.Batch;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.train.AdamW;
import org.eef4j.engine.train.GradClip;
import org.eef4j.engine.train.LrSchedule;

/**
 * Supervised fine-tuning as a sequence of steps fixed up front: every epoch's batches are planned from the seed
 * ({@link LengthBatches}, reshuffled per epoch), so step k is the same batch in any run with the same data and seed.
 * With the weights and the optimiser's state saved after step k, a resumed run continues exactly where an uninterrupted
 * one would be. Each step in a fixed order: learning rate, forward and backward, clip, AdamW step, zero.
 *
 * <p>With a LoRA adapter only the adapter trains: it is hooked into the model, the optimiser steps its weights, and
 * the base weights stay as they are: backward runs {@link LlamaModel#backwardFrozen}, which computes no base gradient.
 */
public final class SftLoop {

  /** What one step did. */
  public record Step(int step, int totalSteps, int epoch, double loss, double gradNorm, double lr, int rows,
      long targets, long tokens) {}

  /** Activation buffers kept per batch shape; rounded lengths keep the number of shapes small. */
  private static final int KEPT_SHAPES = 6;

  private final LlamaModel model;
  private final LoraAdapter adapter;
  private final long seed;
  private final List<Batch> steps = new ArrayList<>();
  private final int[] epochOf;
  private final LrSchedule schedule;
  private final double maxGradNorm;
  private final AdamW optimizer;
  /** The model's gradients; null when an adapter trains and the model is frozen. */
  private final Parameters grads;
  private final Map<Long, Activations> activations = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Activations> eldest) {
      return size() > KEPT_SHAPES;
    }
  };
  private int next;

  public SftLoop(LlamaModel model, List<MaskedTokens> data, SftOptions options, long seed) {
    this(model, null, data, options, seed);
  }

  /** Training only {@code adapter} (null for full fine-tuning) on a frozen {@code model}. */
  public SftLoop(LlamaModel model, LoraAdapter adapter, List<MaskedTokens> data, SftOptions options, long seed) {
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
    this.schedule = new LrSchedule(options.lr(), 0, warmup, steps.size());
    this.model = model;
    this.adapter = adapter;
    this.seed = seed;
    this.maxGradNorm = options.maxGradNorm();
    AdamW.Settings adam = new AdamW.Settings(0.9, 0.999, 1e-8, options.weightDecay(), false);
    if (adapter != null) {
      model.setProjectionHook(adapter);
      this.optimizer = new AdamW(adapter.weights().length, adam);
    } else {
      this.optimizer = new AdamW(model.parameters().layout(), adam);
    }
    this.grads = adapter != null ? null : new Parameters(model.parameters().layout());
  }

  public int totalSteps() {
    return steps.size();
  }

  /** Steps done so far (the index of the next one). */
  public int position() {
    return next;
  }

  public boolean done() {
    return next >= steps.size();
  }

  public AdamW.State optimizerState() {
    return optimizer.state();
  }

  /** Continues after {@code state.step()} steps of the same plan (weights already restored by the caller). */
  public void resume(AdamW.State state) {
    if (state.step() > steps.size()) {
      throw new IllegalArgumentException("checkpoint at step " + state.step() + " of a run of " + steps.size()
          + " steps: data, seed or options differ from the run that wrote it");
    }
    optimizer.restore(state);
    next = state.step();
  }

  /** Runs the next step. */
  public Step step() {
    if (done()) throw new IllegalStateException("all " + steps.size() + " steps are done");
    int k = next;
    Batch b = steps.get(k);
    double lr = schedule.at(k);
    Activations a = activations.computeIfAbsent(((long) b.batch() << 32) | b.seq(),
        s -> model.newActivations(b.batch(), b.seq()));
    // the adapter's dropout stream is seeded per step, so a resumed run draws the masks an uninterrupted one does
    if (adapter != null) adapter.train(true, seed * 1_000_003L + k);
    double loss = model.forward(b, a);
    if (adapter != null) model.backwardFrozen(b, a, 1f);
    else model.backward(b, a, grads, 1f);
    float[] g = adapter != null ? adapter.grads() : grads.data();
    double norm = GradClip.clip(g, maxGradNorm);
    if (!Double.isFinite(norm)) {
      if (adapter != null) adapter.zeroGrads();
      else grads.zero();
      throw new IllegalStateException("step " + k + ": gradient norm is " + norm + " (loss " + loss + ")");
    }
    if (adapter != null) {
      optimizer.step(adapter.weights(), adapter.grads(), lr);
      adapter.zeroGrads();
      adapter.train(false, 0);
    } else {
      optimizer.step(model.parameters(), grads, lr);
      grads.zero();
    }
    next++;
    int[] mask = b.lossMask();
    long targets = 0;
    for (int r = 0; r < b.batch(); r++) for (int t = 1; t < b.seq(); t++) targets += mask[r * b.seq() + t];
    return new Step(k, steps.size(), epochOf[k], loss, norm, lr, b.batch(), targets, b.tokens());
  }
}
