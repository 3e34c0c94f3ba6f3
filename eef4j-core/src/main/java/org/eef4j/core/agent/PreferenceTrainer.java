package org.eef4j.core.agent;

import java.util.List;
import org.eef4j.core.format.PreferencePair;

/**
 * Trains a policy on preference pairs with DPO, for the ETO baseline (Song et al. 2024). The reference model is the
 * policy as it was when the call began (ETO: the previous iteration's model). Only the continuations' assistant turns
 * count in the log-probabilities, as FastChat's train_dpo.py does.
 */
public interface PreferenceTrainer {

  /**
   * @param beta DPO's inverse temperature (ETO: 0.1 in its first iteration, 0.5 after)
   */
  Trainer.TrainingReport trainPreferences(List<PreferencePair> pairs, double beta, long seed);
}
