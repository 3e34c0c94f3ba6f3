package org.eef4j.student.train;

import org.eef4j.engine.train.AdamW;

/**
 * A training planned as steps fixed up front from its data and seed ({@link SftSteps}, {@link DpoSteps}), each step run
 * by the engine's one training loop: with the weights and the optimiser's state saved after step k, a plan made again
 * from the same data and seed and {@link #resume}d continues exactly where an uninterrupted one would be. What
 * {@link EngineTrainer} runs, checkpoints and resumes the same way for SFT and DPO.
 */
public interface PlannedSteps {

  /**
   * What one step did.
   *
   * @param rows examples (conversations, preference pairs) the step trained on
   * @param targets tokens it trained
   * @param line the step for the training log: stage, step of the total, loss and whatever else the stage measures
   */
  record Done(int step, double loss, double lr, long rows, long targets, String line) {}

  int totalSteps();

  /** Steps done so far (the index of the next one). */
  int position();

  default boolean done() {
    return position() >= totalSteps();
  }

  AdamW.State optimizerState();

  /** Continues after {@code state.step()} steps of the same plan (weights already restored by the caller). */
  void resume(AdamW.State state);

  /** Runs the next step. */
  Done next();
}
