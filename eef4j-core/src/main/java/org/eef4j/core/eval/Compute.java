package org.eef4j.core.eval;

import org.eef4j.core.agent.RolloutStats;
import org.eef4j.core.agent.Trainer;

/**
 * Compute a run spent, to compare methods at equal cost (RFT×k against EEF).
 *
 * @param rollouts episodes played
 * @param envSteps environment steps, replayed expert actions included
 * @param generatedTokens tokens the policy generated
 * @param trainedTokens tokens the loss was computed on
 * @param rolloutMillis wall time spent playing episodes
 * @param trainingMillis wall time spent training
 */
public record Compute(
    long rollouts, long envSteps, long generatedTokens, long trainedTokens, long rolloutMillis, long trainingMillis) {

  public static final Compute ZERO = new Compute(0, 0, 0, 0, 0, 0);

  public Compute plus(RolloutStats s) {
    return new Compute(
        rollouts + s.episodes(), envSteps + s.envSteps(), generatedTokens + s.generatedTokens(), trainedTokens,
        rolloutMillis + s.wallMillis(), trainingMillis);
  }

  public Compute plus(Trainer.TrainingReport r) {
    return new Compute(
        rollouts, envSteps, generatedTokens, trainedTokens + r.trainedTokens(), rolloutMillis,
        trainingMillis + r.wallMillis());
  }

  public long wallMillis() {
    return rolloutMillis + trainingMillis;
  }
}
