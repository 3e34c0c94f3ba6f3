package org.eef4j.core.agent;

import java.util.List;
import org.eef4j.core.trajectory.TrainingExample;

/**
 * Fine-tunes a policy with the plain SFT loss on conversations with per-message loss masks.
 *
 * <p>An implementation renders each {@link TrainingExample} through its model's chat template and turns the per-message
 * mask into a per-token mask as {@link TrainingExample} describes. Whether it continues from the last checkpoint or
 * restarts from the base model each iteration is the caller's choice (it hands the pipeline a trainer for either).
 */
public interface Trainer {

  /** Trains on the examples (shuffled with the seed) and reports what it spent. */
  TrainingReport train(List<TrainingExample> examples, long seed);

  /**
   * What one training call spent and reached.
   *
   * @param examples examples seen (counting repeats over epochs)
   * @param trainedTokens tokens with mask 1 that the loss was computed on
   * @param finalLoss the mean masked loss of the last step, NaN if none
   * @param wallMillis wall time
   */
  record TrainingReport(long examples, long trainedTokens, double finalLoss, long wallMillis) {}
}
