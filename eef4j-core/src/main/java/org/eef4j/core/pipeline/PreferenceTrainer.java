package org.eef4j.core.pipeline;

import java.util.List;
import org.eef4j.core.agent.Trainer;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.progress.ProgressListener;

/**
 * Fine-tunes a policy on preference pairs with a DPO-style loss, for the ETO baseline (Song et al. 2024: SFT, then DPO
 * on expert-success / agent-failure pairs). Kept apart from {@link Trainer} because only ETO needs it and a student
 * may not offer it.
 */
@FunctionalInterface
public interface PreferenceTrainer {

  /** Trains on the pairs (shuffled with the seed) and reports what it spent. */
  Trainer.TrainingReport trainPreferences(List<PreferencePair> pairs, long seed);

  /**
   * Trains as {@link #trainPreferences(List, long)}, keeping progress in {@code checkpoints} and continuing from it
   * ({@link TrainingCheckpoints}); the default keeps none.
   */
  default Trainer.TrainingReport trainPreferences(
      List<PreferencePair> pairs, long seed, ProgressListener progress, TrainingCheckpoints checkpoints) {
    return trainPreferences(pairs, seed);
  }
}
