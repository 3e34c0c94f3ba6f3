package org.eef4j.engine.generate;

import java.util.Arrays;

/**
 * What a {@link Request} produced.
 *
 * @param tokens the generated ids, including a stop token that ended the sequence
 * @param text the generated text (null when the generator has no tokenizer), without stop token or stop string
 * @param finish why generation ended
 * @param promptTokens the prompt's length
 * @param reusedTokens prompt tokens whose keys and values came from the prefix cache instead of being recomputed
 */
public record Completion(int[] tokens, String text, Finish finish, int promptTokens, int reusedTokens) {

  /** Why a sequence stopped. */
  public enum Finish {
    /** A stop token was generated. */
    STOP_TOKEN,
    /** A stop string appeared in the text. */
    STOP_STRING,
    /** The token budget was spent. */
    LENGTH,
    /** The model's context (max_position_embeddings) is full. */
    CONTEXT,
    /** The prompt alone fills the context: nothing was generated. */
    PROMPT_TOO_LONG,
    /** The request's {@link TokenFilter} allowed no further token. */
    CONSTRAINT
  }

  public Completion {
    tokens = tokens.clone();
  }

  @Override
  public int[] tokens() {
    return tokens.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Completion c && Arrays.equals(tokens, c.tokens) && java.util.Objects.equals(text, c.text)
        && finish == c.finish && promptTokens == c.promptTokens && reusedTokens == c.reusedTokens;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(tokens) * 31 + finish.hashCode();
  }

  @Override
  public String toString() {
    return "Completion[" + finish + ", tokens=" + Arrays.toString(tokens) + ", text=" + text + "]";
  }
}
