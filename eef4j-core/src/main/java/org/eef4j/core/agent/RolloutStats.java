package org.eef4j.core.agent;

/**
 * What a batch of rollouts spent.
 *
 * @param episodes episodes played
 * @param envSteps environment steps taken, replayed expert actions included
 * @param replayedSteps of which replayed expert actions
 * @param policyCalls calls to {@link Policy#generate} (each one batch)
 * @param replies replies generated
 * @param promptTokens prompt tokens the policy reported
 * @param generatedTokens generated tokens the policy reported
 * @param wallMillis wall time of the whole run
 */
public record RolloutStats(
    long episodes,
    long envSteps,
    long replayedSteps,
    long policyCalls,
    long replies,
    long promptTokens,
    long generatedTokens,
    long wallMillis) {

  public static final RolloutStats ZERO = new RolloutStats(0, 0, 0, 0, 0, 0, 0, 0);

  public RolloutStats plus(RolloutStats o) {
    return new RolloutStats(
        episodes + o.episodes,
        envSteps + o.envSteps,
        replayedSteps + o.replayedSteps,
        policyCalls + o.policyCalls,
        replies + o.replies,
        promptTokens + o.promptTokens,
        generatedTokens + o.generatedTokens,
        wallMillis + o.wallMillis);
  }

  /** Mean episodes per policy call: how well batching worked. */
  public double meanBatch() {
    return policyCalls == 0 ? 0 : (double) replies / policyCalls;
  }
}
