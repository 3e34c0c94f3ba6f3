package org.eef4j.sciworld.expert;

/**
 * The ways the scripted SciWorld expert goes wrong: the failure modes the EEF paper (Lan et al. 2025) attributes to
 * GPT-4 as a SciWorld expert. {@link FailureProfile} gives each its probability; {@link ScriptedExpert} says how each
 * changes the gold action sequence.
 */
public enum FailureMode {
  /** Believes the task is done part-way through: stops working on it and only waits until the episode ends. */
  STOP_EARLY,
  /** Acts on a wrong object or goes to a wrong location once (one gold action's argument replaced), then goes on. */
  WRONG_OBJECT,
  /** Repeats a few of its recent actions several times over before going on: steps that may run out the limit. */
  LOOP,
  /** Skips its measurements (thermometer readings): the answer then rests on a guess, and the measuring is unscored. */
  SKIP_MEASUREMENT
}
