package org.eef4j.core.method;

/** Which successful initial-state rollouts RFT keeps per task (EEF.md phase 4, OPEN). */
public enum RftKeep {
  /** One per task, the one with the fewest actions (the first of those on a tie). Default. */
  SHORTEST_PER_TASK,
  /** Every success. */
  ALL
}
