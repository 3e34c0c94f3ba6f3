package org.eef4j.core.agent;

/**
 * How much of an episode the policy sees. Small models with short contexts can keep only the last turns: the prompt's
 * prefix and the task's first observation always stay, then the last {@code lastTurns} (action, observation) pairs.
 * Conversations keep alternating user/assistant, since the prefix ends with an assistant message, the first observation
 * is a user message, and each kept pair is (assistant, user).
 *
 * <p>With {@code olderActions}, the pairs before the window keep their actions and lose only their observations (each
 * replaced by {@link #HIDDEN_OBSERVATION}): pages are what makes a context long, while the actions are what tells a
 * policy what it already did (which options it chose, whether it paged), which a last-turn window forgets.
 *
 * @param lastTurns how many recent (action, observation) pairs to keep whole, or -1 for all
 * @param olderActions whether the actions of older pairs stay (their observations hidden)
 */
public record ContextWindow(int lastTurns, boolean olderActions) {

  public static final ContextWindow FULL = new ContextWindow(-1);

  /** What stands for an observation the window hides. */
  public static final String HIDDEN_OBSERVATION = "Observation: (not shown)";

  public ContextWindow {
    if (lastTurns < -1) {
      throw new IllegalArgumentException("lastTurns must be >= 0, or -1 for the full context, got " + lastTurns);
    }
  }

  public ContextWindow(int lastTurns) {
    this(lastTurns, false);
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

  /** For run records, e.g. "last 1 turn, older actions". */
  public String describe() {
    if (keepsAll()) return "full context";
    return "last " + lastTurns + (lastTurns == 1 ? " turn" : " turns") + (olderActions ? ", older actions" : "");
  }
}
