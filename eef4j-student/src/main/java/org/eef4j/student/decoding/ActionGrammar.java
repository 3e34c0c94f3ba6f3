package org.eef4j.student.decoding;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.eef4j.core.agent.ActionSpace;

/**
 * The actions a reply may end with, as text: one of the space's complete choices, or a text action
 * ({@code search[...]}) whose words are free or, for a copying policy, taken from a given vocabulary. Compared
 * exactly, case included: WebShop would accept any case, but a model free to mix cases spells a forced text with odd
 * single-letter tokens ("cLICK") and runs out of its token budget.
 *
 * <p>Works on prefixes, since decoding builds the reply a token at a time: {@link #viable} says whether some valid
 * action starts with a text, {@link #complete} whether the text is one.
 */
final class ActionGrammar {

  private final List<String> choices;
  private final List<String> textHeads;
  private final NavigableSet<String> words;

  /**
   * @param words the words a text action may use, or null for any text (without brackets or line breaks)
   * @param givenTextsOnly whether a text action may only take the text the space gives for it (an action without one
   *     is then left out)
   */
  ActionGrammar(ActionSpace space, Iterable<String> words, boolean givenTextsOnly) {
    List<String> choices = new ArrayList<>(space.choices());
    List<String> heads = new ArrayList<>();
    for (String name : space.textActions()) {
      if (!givenTextsOnly) {
        heads.add(name + "[");
      } else if (space.givenTexts().containsKey(name)) {
        choices.add(name + "[" + space.givenTexts().get(name) + "]");
      }
    }
    this.choices = List.copyOf(choices);
    this.textHeads = List.copyOf(heads);
    if (words == null) {
      this.words = null;
    } else {
      this.words = new TreeSet<>();
      for (String w : words) if (!w.isEmpty()) this.words.add(w);
    }
  }

  /** Whether some valid action starts with {@code action}. */
  boolean viable(String action) {
    for (String c : choices) if (c.startsWith(action)) return true;
    for (String head : textHeads) {
      if (head.startsWith(action)) return true;
      if (action.startsWith(head)) {
        String rest = action.substring(head.length());
        int close = rest.indexOf(']');
        if (close < 0) return query(rest, false);
        if (close == rest.length() - 1) return query(rest.substring(0, close), true);
      }
    }
    return false;
  }

  /** Whether {@code action} is a whole valid action. */
  boolean complete(String action) {
    if (choices.contains(action)) return true;
    for (String head : textHeads) {
      if (action.startsWith(head) && action.endsWith("]") && action.length() > head.length()) {
        String q = action.substring(head.length(), action.length() - 1);
        if (q.indexOf(']') < 0 && query(q, true)) return true;
      }
    }
    return false;
  }

  /** Whether a (possibly unfinished) query is allowed: non-empty when closed, words of the vocabulary if there is one. */
  private boolean query(String q, boolean closed) {
    if (q.isEmpty()) return !closed;
    if (q.indexOf('[') >= 0 || q.indexOf('\n') >= 0) return false;
    if (words == null) return true;
    String[] parts = q.split(" ", -1);
    for (int i = 0; i < parts.length - 1; i++) {
      if (!words.contains(parts[i])) return false; // an empty part is a doubled or leading space
    }
    String last = parts[parts.length - 1];
    if (closed) return words.contains(last);
    if (last.isEmpty()) return true;
    String next = words.ceiling(last);
    return next != null && next.startsWith(last);
  }

  /** The words of some texts, as a copying policy may use them: split at spaces, with surrounding punctuation cut. */
  static List<String> wordsOf(Iterable<String> texts) {
    List<String> out = new ArrayList<>();
    for (String text : texts) {
      for (String raw : text.split("\\s+")) {
        int from = 0;
        int to = raw.length();
        while (from < to && !Character.isLetterOrDigit(raw.charAt(from))) from++;
        while (to > from && !Character.isLetterOrDigit(raw.charAt(to - 1))) to--;
        if (from < to) out.add(raw.substring(from, to));
      }
    }
    return out;
  }
}
