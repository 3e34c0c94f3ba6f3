package org.eef4j.engine.generate;

import java.util.Arrays;

/**
 * One sequence to complete.
 *
 * @param prompt the token ids to continue (at least one)
 * @param sampling how to decode it
 * @param seed the seed of this sequence's own random stream: the same request gives the same completion whatever else
 *     shares its batch
 * @param filter the tokens each step may choose from (constrained decoding), or null for any token
 */
public record Request(int[] prompt, Sampling sampling, long seed, TokenFilter filter) {

  public Request {
    if (prompt.length == 0) throw new IllegalArgumentException("a prompt needs at least one token");
    prompt = prompt.clone();
  }

  /** An unconstrained request. */
  public Request(int[] prompt, Sampling sampling, long seed) {
    this(prompt, sampling, seed, null);
  }

  @Override
  public int[] prompt() {
    return prompt.clone();
  }

  int[] promptView() {
    return prompt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Request r && Arrays.equals(prompt, r.prompt) && sampling.equals(r.sampling) && seed == r.seed
        && java.util.Objects.equals(filter, r.filter);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(prompt) * 31 + Long.hashCode(seed);
  }

  @Override
  public String toString() {
    return "Request[" + prompt.length + " prompt tokens, " + sampling + ", seed=" + seed + "]";
  }
}
