package org.eef4j.student.decoding;

import java.util.BitSet;
import java.util.List;
import java.util.function.Function;
import org.eef4j.core.agent.ActionSpace;
import org.eef4j.engine.generate.TokenFilter;

/**
 * Keeps a reply's action valid while the model writes it: after "Action: ", every token must keep the text a prefix
 * of some action the environment accepts now, and the turn may end only once the action is whole. Among the valid
 * continuations the model's own distribution decides, so greedy decoding gives the most likely valid action (token by
 * token) and sampling explores among valid ones only.
 *
 * <p>Why: a small student trained from scratch invents ten-character ASINs and button texts that are not on the page
 * (measured in docs/student/copying.md); choosing among the page's actions leaves it only the decision. WebShop's own
 * imitation-learning agent also chooses among the page's clickables rather than writing them. With {@code thoughtsFirst} the reply may start with a free "Thought: ..." and
 * the constraint applies from its "Action: " on; otherwise the reply is the action alone.
 */
public final class ActionConstraint implements TokenFilter {

  static final String MARKER = "Action: ";

  private final ActionGrammar grammar;
  private final TokenPieces pieces;
  private final Function<int[], String> decoder;
  private final int[] stopTokens;
  private final boolean thoughtsFirst;

  ActionConstraint(ActionGrammar grammar, TokenPieces pieces, Function<int[], String> decoder, int[] stopTokens,
      boolean thoughtsFirst) {
    this.grammar = grammar;
    this.pieces = pieces;
    this.decoder = decoder;
    this.stopTokens = stopTokens.clone();
    this.thoughtsFirst = thoughtsFirst;
  }

  @Override
  public BitSet allowed(int[] generated) {
    String text = decoder.apply(generated);
    if (thoughtsFirst) {
      int at = text.lastIndexOf(MARKER);
      if (at < 0) return null; // still thinking
      text = text.substring(at);
    }
    BitSet out = new BitSet(pieces.vocabSize());
    for (char c : pieces.firstChars()) {
      if (!fits(text + c)) continue;
      for (int id : pieces.startingWith(c)) {
        if (fits(text + pieces.piece(id))) out.set(id);
      }
    }
    if (text.startsWith(MARKER) && grammar.complete(text.substring(MARKER.length()))) {
      for (int t : stopTokens) out.set(t);
    }
    return out;
  }

  /** Whether {@code text} can still become "Action: " followed by a valid action. */
  private boolean fits(String text) {
    if (MARKER.startsWith(text)) return true;
    return text.startsWith(MARKER) && grammar.viable(text.substring(MARKER.length()));
  }

  /** Builds the constraints of one policy; the tokenizer's pieces are indexed once. */
  public static final class Factory {
    private final TokenPieces pieces;
    private final Function<int[], String> decoder;
    private final int[] stopTokens;
    private final boolean thoughtsFirst;
    private final QueryStyle queries;

    /**
     * @param stopTokens the tokens that end a turn, allowed once the action is whole
     * @param thoughtsFirst whether the reply may think freely before its "Action: "
     * @param queries how text actions' texts are constrained
     */
    public Factory(org.eef4j.engine.tokenizer.Tokenizer tokenizer, int[] stopTokens, boolean thoughtsFirst,
        QueryStyle queries) {
      if (stopTokens.length == 0) throw new IllegalArgumentException("valid-action decoding needs an end-of-turn token");
      this.pieces = new TokenPieces(tokenizer);
      this.decoder = ids -> tokenizer.decode(ids, false);
      this.stopTokens = stopTokens.clone();
      this.thoughtsFirst = thoughtsFirst;
      this.queries = queries;
    }

    /** The constraint for one reply, given what the environment accepts and the user messages the model read. */
    public ActionConstraint of(ActionSpace space, List<String> userMessages) {
      ActionGrammar grammar = new ActionGrammar(space,
          queries == QueryStyle.WORDS_READ ? ActionGrammar.wordsOf(userMessages) : null, queries == QueryStyle.GIVEN);
      return new ActionConstraint(grammar, pieces, decoder, stopTokens, thoughtsFirst);
    }
  }
}
