package org.eef4j.engine.train;

/**
 * What one {@link Trainer} step minimises: forward and backward of a loss through the model being trained, its gradient
 * accumulated through {@link TrainedModel#backward}. The trainer does the rest of the step (learning rate, clipping,
 * the optimiser, zeroing; LoRA or full), so every objective (supervised cross-entropy, DPO) trains, resumes and takes
 * an adapter the same way.
 *
 * @param <R> what a step reports: its loss, and whatever else the objective measures (DPO's margin)
 */
@FunctionalInterface
public interface Objective<R extends Objective.Loss> {

  /** A step's report: at least the loss it minimised. */
  interface Loss {
    double loss();
  }

  /** The loss under {@code model}, accumulating {@code ∂loss/∂θ} into the weights that train. */
  R lossAndGradient(TrainedModel model);
}
