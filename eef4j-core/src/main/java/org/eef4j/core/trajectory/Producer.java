package org.eef4j.core.trajectory;

/** Who produced an action turn: the expert (replayed or cloned) or the agent being tuned. */
public enum Producer {
  EXPERT,
  AGENT
}
