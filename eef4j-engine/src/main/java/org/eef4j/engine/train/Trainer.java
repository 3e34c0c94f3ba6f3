package org.eef4j.engine.train;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eef4j.engine.model.Activations;
import org.eef4j.engine.model.Batch;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.model.Parameters;

/**
 * One optimiser step at a time, in a fixed order: learning rate for this step, forward and backward over each
 * micro-batch (gradients accumulate, each micro-batch's loss weighted 1/n so the step sees their mean), clip the global
 * gradient norm, AdamW step, zero the gradients. Activations are kept per batch shape and reused.
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

  /** What one step did: its 0-based index, mean loss over the micro-batches, gradient norm before clipping, rate. */
  public record Step(int step, double loss, double gradNorm, double lr) {}

  private final LlamaModel model;
  private final Config config;
  private final Parameters grads;
  private final AdamW optimizer;
  private final Map<Long, Activations> activations = new HashMap<>();
  private int step;

  public Trainer(LlamaModel model, Config config) {
    this.model = model;
    this.config = config;
    this.grads = new Parameters(model.parameters().layout());
    this.optimizer = new AdamW(model.parameters().layout(), config.adam());
  }

  public LlamaModel model() {
    return model;
  }

  public int stepsTaken() {
    return step;
  }

  /** One optimiser step over one batch. */
  public Step step(Batch batch) {
    return step(List.of(batch));
  }

  /** One optimiser step over several micro-batches (gradient accumulation). */
  public Step step(List<Batch> microBatches) {
    if (microBatches.isEmpty()) throw new IllegalArgumentException("a step needs at least one batch");
    double lr = config.schedule().at(step);
    float weight = 1f / microBatches.size();
    double loss = 0;
    for (Batch b : microBatches) {
      Activations a = activations.computeIfAbsent(((long) b.batch() << 32) | b.seq(),
          k -> model.newActivations(b.batch(), b.seq()));
      loss += model.forward(b, a) * weight;
      model.backward(b, a, grads, weight);
    }
    double norm = Double.isInfinite(config.maxGradNorm()) ? GradClip.norm(grads)
        : GradClip.clip(grads, config.maxGradNorm());
    if (!Double.isFinite(norm)) {
      grads.zero();
      throw new IllegalStateException("step " + step + ": gradient norm is " + norm + " (loss " + loss + ")");
    }
    optimizer.step(model.parameters(), grads, lr);
    grads.zero();
    return new Step(step++, loss, norm, lr);
  }

  /** Drops cached activations (e.g. before switching to a very different batch shape). */
  public void releaseActivations() {
    activations.clear();
  }
}
