package org.eef4j.remote.trainer;

import java.util.List;
import java.util.Objects;

/**
 * One training conversation as a trainer reads it: the token ids, and the loss mask over them ({@code 1} where the
 * loss counts the token as a target), with where each message landed so that an audit can say what was trained.
 *
 * @param id where the conversation came from (a trajectory id, with a suffix naming the dataset)
 * @param inputIds the rendered conversation's token ids
 * @param assistantMasks per token, 1 when trained: the agent's own turns with their end-of-turn token, nothing else
 * @param parts each message's tokens [first, last), content and end-of-turn; tokens outside every part are the
 *     template's own (role headers, separators); empty for rows read back from a file
 */
public record TokenRow(String id, int[] inputIds, int[] assistantMasks, List<Part> parts) {

  /** What a message is to the method, for the mask audit. */
  public enum Kind {
    /** a system message: the task's instructions */
    SYSTEM("instructions (system)"),
    /** a user message: the instruction, or an observation from the environment */
    USER("instructions and observations (user)"),
    /** an assistant message the loss counts: the agent's own action */
    AGENT("the agent's own turns"),
    /** an assistant message kept in the context with no loss: a harmful expert action, the prompt's acknowledgement */
    MASKED("assistant turns without loss (harmful actions, prompt)");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** A message's tokens [first, last), its content and the end-of-turn token that closes it. */
  public record Part(Kind kind, int first, int last) {}

  public TokenRow {
    Objects.requireNonNull(id, "id");
    if (inputIds.length != assistantMasks.length) {
      throw new IllegalArgumentException(id + ": " + inputIds.length + " ids but " + assistantMasks.length + " mask values");
    }
    for (int m : assistantMasks) {
      if (m != 0 && m != 1) throw new IllegalArgumentException(id + ": a mask value is " + m + ", not 0 or 1");
    }
    inputIds = inputIds.clone();
    assistantMasks = assistantMasks.clone();
    parts = List.copyOf(parts);
  }

  @Override
  public int[] inputIds() {
    return inputIds.clone();
  }

  @Override
  public int[] assistantMasks() {
    return assistantMasks.clone();
  }

  public int length() {
    return inputIds.length;
  }

  /** Tokens the loss counts: position 0 predicts nothing (no token before it), so a mask there never counts. */
  public int trainedTokens() {
    int n = 0;
    for (int t = 1; t < assistantMasks.length; t++) n += assistantMasks[t];
    return n;
  }

  int id(int t) {
    return inputIds[t];
  }

  int mask(int t) {
    return assistantMasks[t];
  }
}
