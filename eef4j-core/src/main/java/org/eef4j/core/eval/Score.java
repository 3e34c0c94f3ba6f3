package org.eef4j.core.eval;

/**
 * WebShop's two headline numbers over a set of episodes.
 *
 * @param tasks how many episodes
 * @param winRate share of episodes with reward exactly 1.0 (EEF's "win rate", AgentGym's "success")
 * @param meanScore mean reward (ETO's "average reward", AgentGym's "score")
 */
public record Score(int tasks, double winRate, double meanScore) {

  /** Win rate as a percentage, as the paper reports it. */
  public double winRatePercent() {
    return 100 * winRate;
  }
}
