package org.eef4j.engine.train;

import java.util.List;
import org.eef4j.engine.lora.LoraAdapter;
import org.eef4j.engine.model.Activations;
import org.eef4j.engine.model.Batch;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.model.Parameters;

/**
 * The engine's training loop, one optimiser step at a time, in a fixed order: learning rate for this step, forward and
 * backward of the step's {@link Objective} (gradients accumulate), clip the global gradient norm, AdamW step, zero the
 * gradients. The objective is supervised cross-entropy over micro-batches ({@link #step(List)}: each micro-batch's loss
 * weighted 1/n so the step sees their mean; one set of activation buffers serves every batch shape,
 * {@link Activations#reshaped}) or any other, such as DPO's.
 *
 * <p>With a LoRA adapter only the adapter trains: it is hooked into the model, the optimiser steps its weights, and
 * the base weights stay as they are (backward runs {@link LlamaModel#backwardFrozen}, which computes no base
 * gradient); its dropout stream is seeded per step, so a resumed run draws the masks an uninterrupted one does.
 *
 * <p>Resumable: with the weights and {@link #optimizerState()} saved after step k, a trainer {@link #resume}d from them
 * takes step k+1 exactly as an uninterrupted one would, whatever the objective.
 */
public final class Trainer {

  /**
   * @param schedule learning rate per step
   * @param maxGradNorm global-norm clipping threshold; {@code Double.POSITIVE_INFINITY} disables clipping
   * @param adam optimiser settings
   */
  public record Config(LrSchedule schedule, double maxGradNorm, AdamW.Settings adam) {
    public Config {
      if (schedule == null || adam == null) throw new IllegalArgumentException("schedule and optimiser are required");
      if (!(maxGradNorm > 0)) throw new IllegalArgumentException("max gradient norm must be positive, got " + maxGradNorm);
    }
  }

  /** What one step did: its 0-based index, the objective's report (loss before the update), norm before clipping, rate. */
  public record Step<R extends Objective.Loss>(int step, R result, double gradNorm, double lr) {
    public double loss() {
      return result.loss();
    }
  }

  /** Supervised cross-entropy's report: the mean loss over the step's micro-batches. */
  public record MeanCrossEntropy(double loss) implements Objective.Loss {}

  private final LlamaModel model;
  private final Config config;
  /** Null for full fine-tuning. */
  private final LoraAdapter adapter;
  private final long dropoutSeed;
  /** The model's gradients; null when an adapter trains and the model is frozen. */
  private final Parameters grads;
  /** The model as objectives see it: backward into {@link #grads} or the adapter's. */
  private final TrainedModel trained;
  private final AdamW optimizer;
  /** Null until the first step and after {@link #releaseActivations}. */
  private Activations activations;
  private int step;

  /** Full fine-tuning: every weight of the model trains. */
  public Trainer(LlamaModel model, Config config) {
    this(model, null, config, 0);
  }

  /**
   * Training only {@code adapter} (null for full fine-tuning) on a frozen {@code model}.
   *
   * @param dropoutSeed the adapter's dropout masks at step k are drawn from {@code dropoutSeed * 1_000_003 + k}
   */
  public Trainer(LlamaModel model, LoraAdapter adapter, Config config, long dropoutSeed) {
    this.model = model;
    this.config = config;
    this.adapter = adapter;
    this.dropoutSeed = dropoutSeed;
    if (adapter != null) {
      model.setProjectionHook(adapter);
      this.optimizer = new AdamW(adapter.weights().length, config.adam());
      this.grads = null;
      this.trained = TrainedModel.adapter(model, adapter);
    } else {
      this.optimizer = new AdamW(model.parameters().layout(), config.adam());
      this.grads = new Parameters(model.parameters().layout());
      this.trained = TrainedModel.full(model, grads);
    }
  }

  public LlamaModel model() {
    return model;
  }

  public int stepsTaken() {
    return step;
  }

  /** The optimiser's state after the steps taken, for a checkpoint. */
  public AdamW.State optimizerState() {
    return optimizer.state();
  }

  /** Continues after {@code state.step()} steps (the weights already restored by the caller). */
  public void resume(AdamW.State state) {
    optimizer.restore(state);
    step = state.step();
  }

  /** One optimiser step of supervised cross-entropy over one batch. */
  public Step<MeanCrossEntropy> step(Batch batch) {
    return step(List.of(batch));
  }

  /** One optimiser step of supervised cross-entropy over several micro-batches (gradient accumulation). */
  public Step<MeanCrossEntropy> step(List<Batch> microBatches) {
    if (microBatches.isEmpty()) throw new IllegalArgumentException("a step needs at least one batch");
    return step(m -> {
      float weight = 1f / microBatches.size();
      double loss = 0;
      for (Batch b : microBatches) {
        Activations a = activations == null ? model.newActivations(b.batch(), b.seq())
            : activations.reshaped(b.batch(), b.seq());
        activations = a;
        loss += m.forward(b, a) * weight;
        m.backward(b, a, weight);
      }
      return new MeanCrossEntropy(loss);
    });
  }

  /** One optimiser step of {@code objective}. */
  public <R extends Objective.Loss> Step<R> step(Objective<R> objective) {
    double lr = config.schedule().at(step);
    if (adapter != null) adapter.train(true, dropoutSeed * 1_000_003L + step);
    R result;
    try {
      result = objective.lossAndGradient(trained);
    } catch (RuntimeException e) {
      zeroGrads(); // a step that failed midway leaves no partial gradient for the next one
      throw e;
    } finally {
      trained.endStep();
    }
    float[] g = adapter != null ? adapter.grads() : grads.data();
    double norm = Double.isInfinite(config.maxGradNorm()) ? GradClip.norm(g) : GradClip.clip(g, config.maxGradNorm());
    if (!Double.isFinite(norm)) {
      zeroGrads();
      throw new IllegalStateException("step " + step + ": gradient norm is " + norm + " (loss " + result.loss() + ")");
    }
    if (adapter != null) {
      optimizer.step(adapter.weights(), g, lr);
      adapter.zeroGrads();
      adapter.train(false, 0);
    } else {
      optimizer.step(model.parameters(), grads, lr);
      grads.zero();
    }
    return new Step<>(step++, result, norm, lr);
  }

  private void zeroGrads() {
    if (adapter != null) adapter.zeroGrads();
    else grads.zero();
  }

  /** Drops cached activations (e.g. before switching to a very different batch shape). */
  public void releaseActivations() {
    activations = null;
  }
}
