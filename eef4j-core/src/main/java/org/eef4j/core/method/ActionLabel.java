package org.eef4j.core.method;

/** What EEF's outcome analysis concludes about one expert action (EEF.md phase 3). */
public enum ActionLabel {
  /** Between a state the agent failed from and the next, from which it succeeded. */
  BENEFICIAL,
  /** Between a state the agent succeeded from and the next, from which it failed: potentially harmful. */
  HARMFUL,
  /** Between two states with the same outcome, or after the last explored state. */
  NEUTRAL
}
