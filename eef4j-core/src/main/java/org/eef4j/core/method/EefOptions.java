package org.eef4j.core.method;

import java.util.Objects;

/**
 * Every choice of an EEF run, each OPEN point of EEF.md a named option with the spec's default next to it. Immutable
 * and validated; a run records it (it serialises as JSON, being a record of plain values).
 *
 * @param m M, intermediate states explored per failed expert trajectory (paper: 5; the M-sweep ablation varies it)
 * @param rolloutsPerState rollouts from each explored state (1 as in the paper; RFT×k uses k from the initial state)
 * @param solutionSelection which solution an important state trains on when it has several (OPEN; default SHORTEST)
 * @param useDs0 whether D_s0 (initial states of tasks the agent did not solve) enters the training set (ablation:
 *     "D_r only" turns it off)
 * @param useDr whether D_r (recovery states) enters the training set (ablation: "D_s0 only" turns it off)
 * @param maskHarmful whether potentially harmful expert actions get loss mask 0 (ablation "no masking": false)
 * @param neutralExpertActions how expert actions that are neither beneficial nor harmful are trained when they sit in
 *     a solution's context before its important state (OPEN, not covered by the paper; default TRAIN: they are part
 *     of the expert's path the agent succeeded from)
 * @param rftKeep which initial-state successes the RFT part keeps (OPEN; default one per task, the shortest)
 * @param checkpoint whether each iteration continues from the last checkpoint or restarts from the base model (OPEN;
 *     default CONTINUE)
 * @param iterations fine-tuning iterations after behaviour cloning (paper: 3)
 * @param includeExpertSuccesses whether the expert's successes stay in every iteration's training set (phase 4: yes)
 * @param seed seeds random solution selection and rollouts
 */
public record EefOptions(
    int m,
    int rolloutsPerState,
    SolutionSelection solutionSelection,
    boolean useDs0,
    boolean useDr,
    boolean maskHarmful,
    NeutralActions neutralExpertActions,
    RftKeep rftKeep,
    Checkpoint checkpoint,
    int iterations,
    boolean includeExpertSuccesses,
    long seed) {

  /** How neutral expert actions before a solution's important state are trained. */
  public enum NeutralActions {
    TRAIN,
    MASK
  }

  /** Where each iteration's training starts. */
  public enum Checkpoint {
    CONTINUE,
    FROM_BASE
  }

  public EefOptions {
    Objects.requireNonNull(solutionSelection, "solutionSelection");
    Objects.requireNonNull(neutralExpertActions, "neutralExpertActions");
    Objects.requireNonNull(rftKeep, "rftKeep");
    Objects.requireNonNull(checkpoint, "checkpoint");
    if (m < 1) {
      throw new IllegalArgumentException("M must be >= 1, got " + m);
    }
    if (rolloutsPerState < 1) {
      throw new IllegalArgumentException("rolloutsPerState must be >= 1, got " + rolloutsPerState);
    }
    if (iterations < 0) {
      throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
    }
    if (!useDs0 && !useDr) {
      throw new IllegalArgumentException("EEF needs D_s0, D_r or both; with neither it is RFT");
    }
  }

  /** The paper's EEF: M = 5, one rollout per state, shortest solution, D_s0 and D_r, harmful actions masked. */
  public static EefOptions defaults() {
    return new EefOptions(
        5, 1, SolutionSelection.SHORTEST, true, true, true, NeutralActions.TRAIN, RftKeep.SHORTEST_PER_TASK,
        Checkpoint.CONTINUE, 3, true, 0);
  }

  public EefOptions withM(int newM) {
    return new EefOptions(
        newM, rolloutsPerState, solutionSelection, useDs0, useDr, maskHarmful, neutralExpertActions, rftKeep,
        checkpoint, iterations, includeExpertSuccesses, seed);
  }

  public EefOptions withSeed(long newSeed) {
    return new EefOptions(
        m, rolloutsPerState, solutionSelection, useDs0, useDr, maskHarmful, neutralExpertActions, rftKeep, checkpoint,
        iterations, includeExpertSuccesses, newSeed);
  }

  public EefOptions withDatasets(boolean ds0, boolean dr) {
    return new EefOptions(
        m, rolloutsPerState, solutionSelection, ds0, dr, maskHarmful, neutralExpertActions, rftKeep, checkpoint,
        iterations, includeExpertSuccesses, seed);
  }

  public EefOptions withMaskHarmful(boolean b) {
    return new EefOptions(
        m, rolloutsPerState, solutionSelection, useDs0, useDr, b, neutralExpertActions, rftKeep, checkpoint,
        iterations, includeExpertSuccesses, seed);
  }

  public EefOptions withSolutionSelection(SolutionSelection s) {
    return new EefOptions(
        m, rolloutsPerState, s, useDs0, useDr, maskHarmful, neutralExpertActions, rftKeep, checkpoint, iterations,
        includeExpertSuccesses, seed);
  }

  public EefOptions withNeutralExpertActions(NeutralActions n) {
    return new EefOptions(
        m, rolloutsPerState, solutionSelection, useDs0, useDr, maskHarmful, n, rftKeep, checkpoint, iterations,
        includeExpertSuccesses, seed);
  }

  public EefOptions withRftKeep(RftKeep k) {
    return new EefOptions(
        m, rolloutsPerState, solutionSelection, useDs0, useDr, maskHarmful, neutralExpertActions, k, checkpoint,
        iterations, includeExpertSuccesses, seed);
  }

  public EefOptions withRolloutsPerState(int k) {
    return new EefOptions(
        m, k, solutionSelection, useDs0, useDr, maskHarmful, neutralExpertActions, rftKeep, checkpoint, iterations,
        includeExpertSuccesses, seed);
  }

  public EefOptions withCheckpoint(Checkpoint c) {
    return new EefOptions(
        m, rolloutsPerState, solutionSelection, useDs0, useDr, maskHarmful, neutralExpertActions, rftKeep, c,
        iterations, includeExpertSuccesses, seed);
  }

  public EefOptions withIterations(int n) {
    return new EefOptions(
        m, rolloutsPerState, solutionSelection, useDs0, useDr, maskHarmful, neutralExpertActions, rftKeep, checkpoint,
        n, includeExpertSuccesses, seed);
  }
}
