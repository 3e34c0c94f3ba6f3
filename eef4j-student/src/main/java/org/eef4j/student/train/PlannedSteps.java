package org.eef4j.student.train;

import org.eef4j.engine.train.AdamW;
import org.eef4j.engine.train.Trainer;

/**
 * A training planned as steps fixed up front from its data and seed ({@link SftSteps}, {@link DpoSteps}), each step run
 * by the engine's one training loop ({@link Trainer}): with the weights and the optimiser's state saved after step k, a
 * plan made again from the same data and seed and {@link #resume}d continues exactly where an uninterrupted one would
 * be. What {@link EngineTrainer} runs, checkpoints and resumes the same way for SFT and DPO.
 */
public abstract sealed class PlannedSteps permits SftSteps, DpoSteps {

  /**
   * What one step did.
   *
   * @param rows examples (conversations, preference pairs) the step trained on
   * @param targets tokens it trained
   * @param line the step for the training log: stage, step of the total, loss and whatever else the stage measures
   */
  public record Done(int step, double loss, double lr, long rows, long targets, String line) {}

  /** The loop each step runs through (its schedule spans the plan's every step). */
  protected abstract Trainer trainer();

  public abstract int totalSteps();

  /** Steps done so far (the index of the next one). */
  public int position() {
    return trainer().stepsTaken();
  }

  public boolean done() {
    return position() >= totalSteps();
  }

  /** The optimiser's state after the steps taken, for a checkpoint. */
  public AdamW.State optimizerState() {
    return trainer().optimizerState();
  }

  /** Continues after {@code state.step()} steps of the same plan (weights already restored by the caller). */
  public void resume(AdamW.State state) {
    if (state.step() > totalSteps()) {
      throw new IllegalArgumentException("checkpoint at step " + state.step() + " of a training of " + totalSteps()
          + " steps: data, seed or options differ from the training that wrote it");
    }
    trainer().resume(state);
  }

  /** Runs the next step. */
  public abstract Done next();
}
