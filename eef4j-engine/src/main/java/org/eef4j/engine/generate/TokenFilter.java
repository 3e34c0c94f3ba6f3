package org.eef4j.engine.generate;

import java.util.BitSet;

/**
 * Constrained decoding: which tokens a sequence may take next, given what it has generated so far. The sampler only
 * considers allowed tokens (their logits unchanged, every other token's probability zero), so greedy decoding picks
 * the most likely allowed token and sampling draws from the model's distribution renormalised over the allowed ones.
 *
 * <p>An agent uses it to keep a small model's actions valid (one of the page's buttons, a query made of words it has
 * read) while the model still decides which one, by its own likelihood. A filter must be a pure function of the
 * generated ids (the generator may call it from any thread), so that a constrained completion still depends only on its
 * request.
 */
@FunctionalInterface
public interface TokenFilter {

  /**
   * The tokens allowed after {@code generated} (the completion so far, prompt excluded), or null when any token is.
   * An empty set ends the sequence ({@link Completion.Finish#CONSTRAINT}).
   */
  BitSet allowed(int[] generated);
}
