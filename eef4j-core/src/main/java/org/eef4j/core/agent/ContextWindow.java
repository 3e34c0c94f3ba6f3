package org.eef4j.core.agent;

/**
 * How much of an episode the policy sees. Small models with short contexts can keep only the last turns: the prompt's
 * prefix and the task's first observation always stay, then the last {@code lastTurns} (action, observation) pairs.
 * Conversations keep alternating user/assistant, since the prefix ends with an assistant message, the first observation
 * is a user message, and each kept pair is (assistant, user).
 *
 * @param lastTurns how many recent (action, observation) pairs to keep, or -1 for all
 */
public record ContextWindow(int lastTurns) {

  public static final ContextWindow FULL = new ContextWindow(-1);

  public ContextWindow {
    if (lastTurns < -1) {
      throw new IllegalArgumentException("lastTurns must be >= 0, or -1 for the full context, got " + lastTurns);
    }
  }

  public static ContextWindow lastTurns(int k) {
    if (k < 0) {
      throw new IllegalArgumentException("lastTurns must be >= 0, got " + k);
    }
    return new ContextWindow(k);
  }

  public boolean keepsAll() {
    return lastTurns < 0;
  }
}
