package org.eef4j.core.agent;

import java.util.Objects;

/**
 * How the runner plays episodes.
 *
 * @param maxSteps the step limit; every policy turn counts, malformed ones too (ETO WebShop: 10). At the limit the
 *     episode ends with reward 0 and no success, as ETO does, unless the last step finished the task
 * @param window how much of the episode the policy sees
 * @param sampling how the policy decodes
 * @param maxBatch at most this many episodes are open (and asked for a reply in one policy call) at once
 * @param successReward an episode succeeds when it ends done with at least this reward (WebShop win: 1.0)
 * @param prefixCountsAsSteps whether replayed expert actions use up the step limit, as if the agent had taken them
 *     (default true: EEF's agent continues "exactly as if it had taken those actions itself")
 * @param strictReplay whether a replayed observation that differs from the one the expert trajectory recorded is an
 *     error (default true: the environment must be deterministic under replay); when false the environment's
 *     observation is kept
 * @param exploreTemperature the sampling temperature of the training-time exploration rollouts (RFT, RFT×k, ETO,
 *     EEF), or -1 to explore as the test rollouts decode ({@code sampling}); test rollouts always use {@code sampling}.
 *     RFT×k's k rollouts of a task only differ when exploration samples
 */
public record RolloutOptions(
    int maxSteps,
    ContextWindow window,
    SamplingParams sampling,
    int maxBatch,
    double successReward,
    boolean prefixCountsAsSteps,
    boolean strictReplay,
    double exploreTemperature) {

  public RolloutOptions {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(sampling, "sampling");
    if (maxSteps < 1) {
      throw new IllegalArgumentException("maxSteps must be >= 1, got " + maxSteps);
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
    }
    if (!(exploreTemperature == -1 || exploreTemperature >= 0) || Double.isInfinite(exploreTemperature)) {
      throw new IllegalArgumentException("exploreTemperature must be >= 0, or -1 for the test decoding, got "
          + exploreTemperature);
    }
    if (!(successReward > 0 && successReward <= 1)) {
      throw new IllegalArgumentException("successReward must be in (0, 1], got " + successReward);
    }
  }

  /** ETO's WebShop settings: 10 steps, full context, greedy decoding; 32 episodes per batch. */
  public static RolloutOptions defaults() {
    return new RolloutOptions(10, ContextWindow.FULL, SamplingParams.greedy(), 32, 1.0, true, true, -1);
  }

  public RolloutOptions withMaxSteps(int n) {
    return new RolloutOptions(n, window, sampling, maxBatch,
        successReward, prefixCountsAsSteps, strictReplay, exploreTemperature);
  }

  public RolloutOptions withWindow(ContextWindow w) {
    return new RolloutOptions(maxSteps, w, sampling, maxBatch,
        successReward, prefixCountsAsSteps, strictReplay, exploreTemperature);
  }

  public RolloutOptions withMaxBatch(int n) {
    return new RolloutOptions(maxSteps, window, sampling, n,
        successReward, prefixCountsAsSteps, strictReplay, exploreTemperature);
  }

  public RolloutOptions withSampling(SamplingParams s) {
    return new RolloutOptions(maxSteps, window, s, maxBatch,
        successReward, prefixCountsAsSteps, strictReplay, exploreTemperature);
  }

  public RolloutOptions withPrefixCountsAsSteps(boolean b) {
    return new RolloutOptions(maxSteps, window, sampling, maxBatch, successReward, b, strictReplay, exploreTemperature);
  }

  public RolloutOptions withStrictReplay(boolean b) {
    return new RolloutOptions(maxSteps, window, sampling, maxBatch,
        successReward, prefixCountsAsSteps, b, exploreTemperature);
  }

  public RolloutOptions withExploreTemperature(double t) {
    return new RolloutOptions(maxSteps, window, sampling, maxBatch,
        successReward, prefixCountsAsSteps, strictReplay, t);
  }

  /** The options of exploration rollouts: these, decoding at the exploration temperature when one is set. */
  public RolloutOptions forExploration() {
    return exploreTemperature < 0 ? this : withSampling(sampling.withTemperature(exploreTemperature));
  }
}
