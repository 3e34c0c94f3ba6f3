package org.eef4j.core.pipeline;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.method.EefOptions;

/**
 * Every choice of a run that is not a live object: the methods compared, iterations, seeds, how episodes are played,
 * EEF's options. Recorded in the run directory's run.json, so that a run says what it did and a resumed run can check
 * that it continues the same one.
 *
 * @param methods the rows of the comparison, ids unique
 * @param seeds one full comparison per seed (figures are reported as mean ± std over seeds); behaviour cloning and
 *     every method re-run per seed, the experts' trajectories are shared
 * @param rollout how episodes are played (step limit, context window, decoding, batch size)
 * @param eef EEF's options (also RFT's: which successes to keep, checkpoint policy, iterations, whether expert
 *     successes stay in the training set); its seed is replaced by each run seed
 * @param etoRejectedExtraTurns ETO cuts a rejected trajectory to the chosen one's length plus this many turns (ETO: 5)
 * @param checkpointEvery optimizer steps between a training stage's saves of its progress ({@link TrainingCheckpoints})
 */
public record PipelineConfig(
    List<Method> methods, List<Long> seeds, RolloutOptions rollout, EefOptions eef, int etoRejectedExtraTurns,
    int checkpointEvery) {

  /** A config saving training progress every {@link TrainingCheckpoints#DEFAULT_EVERY} steps. */
  public PipelineConfig(
      List<Method> methods, List<Long> seeds, RolloutOptions rollout, EefOptions eef, int etoRejectedExtraTurns) {
    this(methods, seeds, rollout, eef, etoRejectedExtraTurns, TrainingCheckpoints.DEFAULT_EVERY);
  }

  public PipelineConfig {
    methods = List.copyOf(methods);
    seeds = List.copyOf(seeds);
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(eef, "eef");
    if (methods.isEmpty()) {
      throw new IllegalArgumentException("methods: at least one method to run");
    }
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("seeds: at least one seed");
    }
    Set<String> ids = new HashSet<>();
    for (Method m : methods) {
      if (!ids.add(m.id())) {
        throw new IllegalArgumentException("methods: " + m.label() + " is listed twice");
      }
    }
    if (new HashSet<>(seeds).size() != seeds.size()) {
      throw new IllegalArgumentException("seeds: a seed is listed twice: " + seeds);
    }
    if (etoRejectedExtraTurns < 0) {
      throw new IllegalArgumentException("etoRejectedExtraTurns must be >= 0, got " + etoRejectedExtraTurns);
    }
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("checkpointEvery must be >= 1, got " + checkpointEvery);
    }
  }

  public int iterations() {
    return eef.iterations();
  }
}
