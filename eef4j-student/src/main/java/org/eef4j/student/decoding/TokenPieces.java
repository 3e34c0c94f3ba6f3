package org.eef4j.student.decoding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eef4j.engine.tokenizer.Tokenizer;

/**
 * Each token's text, grouped by first character, so that a constraint only tries the tokens that can
 * start with a character it allows. Special tokens and pieces of multi-byte characters are left out: valid actions are
 * spelled with ordinary text.
 */
final class TokenPieces {

  private final String[] pieces;
  private final Map<Character, int[]> byFirstChar;

  TokenPieces(Tokenizer tokenizer) {
    int n = tokenizer.vocabSize();
    pieces = new String[n];
    Map<Character, List<Integer>> groups = new HashMap<>();
    for (int id = 0; id < n; id++) {
      if (tokenizer.isSpecial(id)) continue;
      String text = tokenizer.decode(new int[] {id}, false);
      if (text.isEmpty() || text.indexOf('\uFFFD') >= 0) continue;
      pieces[id] = text;
      groups.computeIfAbsent(pieces[id].charAt(0), c -> new ArrayList<>()).add(id);
    }
    byFirstChar = new HashMap<>();
    groups.forEach((c, ids) -> byFirstChar.put(c, ids.stream().mapToInt(Integer::intValue).toArray()));
  }

  /** The text of a token, or null for a token never used in actions. */
  String piece(int id) {
    return pieces[id];
  }

  Iterable<Character> firstChars() {
    return byFirstChar.keySet();
  }

  int[] startingWith(char c) {
    return byFirstChar.getOrDefault(c, new int[0]);
  }

  int vocabSize() {
    return pieces.length;
  }
}
