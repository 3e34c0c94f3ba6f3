package org.eef4j.student.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.eef4j.core.agent.ActionSpace;
import org.eef4j.engine.tokenizer.BpeTrainer;
import org.eef4j.engine.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

/**
 * The constraint over a real byte-level tokenizer: whatever the token choices, only valid actions can be spelled, and
 * every valid action can be.
 */
class ActionConstraintTest {

  static final Tokenizer TOKENIZER = tokenizer();
  static final int END = TOKENIZER.id("<|im_end|>").getAsInt();

  static Tokenizer tokenizer() {
    List<String> corpus = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      corpus.add("Action: click[Buy Now] Action: click[B0X" + i + "Y] Action: search[red running shoes " + i + "]");
      corpus.add("Thought: the page shows items. Action: click[Next >] Action: click[white]");
    }
    return BpeTrainer.train(corpus, BpeTrainer.Config.chatMl(400).withPattern(BpeTrainer.WHOLE_WORDS_PATTERN))
        .tokenizer();
  }

  static ActionConstraint constraint(ActionSpace space, List<String> read, boolean thoughts, QueryStyle queries) {
    return new ActionConstraint.Factory(TOKENIZER, new int[] {END}, thoughts, queries).of(space, read);
  }

  /**
   * Every text the constraint lets a reply end with, starting from {@code start}: a search over the texts reachable
   * token by token (the constraint depends only on the decoded text, so one token sequence per text is enough).
   */
  static List<String> spellable(ActionConstraint c, int[] start, int maxTokens) {
    List<String> ends = new ArrayList<>();
    java.util.Map<String, int[]> seen = new java.util.HashMap<>();
    java.util.ArrayDeque<int[]> queue = new java.util.ArrayDeque<>();
    queue.add(start);
    seen.put(TOKENIZER.decode(start, false), start);
    while (!queue.isEmpty()) {
      int[] ids = queue.poll();
      BitSet allowed = c.allowed(ids);
      for (int t = allowed.nextSetBit(0); t >= 0; t = allowed.nextSetBit(t + 1)) {
        if (t == END) {
          ends.add(TOKENIZER.decode(ids, false));
          continue;
        }
        if (ids.length - start.length >= maxTokens) continue;
        int[] next = java.util.Arrays.copyOf(ids, ids.length + 1);
        next[ids.length] = t;
        if (seen.putIfAbsent(TOKENIZER.decode(next, false), next) == null) queue.add(next);
      }
    }
    return ends;
  }

  @Test
  void onlyTheSpacesChoicesCanBeWrittenAndEachOfThemCan() {
    ActionSpace space = new ActionSpace(List.of("click[Buy Now]", "click[white]", "click[B0X7Y]"), List.of());
    ActionConstraint c = constraint(space, List.of(), false, QueryStyle.FREE);
    int[] marker = TOKENIZER.encode("Action: ");
    List<String> texts = spellable(c, marker, 12);
    assertThat(texts).isNotEmpty();
    assertThat(texts.stream().distinct().toList())
        .containsExactlyInAnyOrder("Action: click[Buy Now]", "Action: click[white]", "Action: click[B0X7Y]");
    // each choice as the tokenizer spells it is allowed token by token
    for (String choice : space.choices()) {
      int[] ids = TOKENIZER.encode("Action: " + choice);
      for (int i = 0; i < ids.length; i++) {
        assertThat(c.allowed(java.util.Arrays.copyOf(ids, i)).get(ids[i])).as(choice + " token " + i).isTrue();
      }
      assertThat(c.allowed(ids).get(END)).isTrue();
    }
  }

  @Test
  void theReplyStartsWithTheMarkerAndEndsOnlyWhenTheActionIsWhole() {
    ActionSpace space = new ActionSpace(List.of("click[Buy Now]"), List.of());
    ActionConstraint c = constraint(space, List.of(), false, QueryStyle.FREE);
    BitSet first = c.allowed(new int[0]);
    assertThat(first.get(END)).isFalse();
    for (int t = first.nextSetBit(0); t >= 0; t = first.nextSetBit(t + 1)) {
      assertThat("Action: ").startsWith(TOKENIZER.decode(new int[] {t}, false));
    }
    assertThat(c.allowed(TOKENIZER.encode("Action: click[Buy")).get(END)).isFalse();
  }

  @Test
  void aCopiedQueryUsesOnlyWordsTheModelRead() {
    ActionSpace space = new ActionSpace(List.of(), List.of("search"));
    ActionConstraint c = constraint(space, List.of("Find red shoes, size 12"), false, QueryStyle.WORDS_READ);
    BitSet afterBracket = c.allowed(TOKENIZER.encode("Action: search["));
    for (int t = afterBracket.nextSetBit(0); t >= 0; t = afterBracket.nextSetBit(t + 1)) {
      String piece = TOKENIZER.decode(new int[] {t}, false);
      assertThat(List.of("Find", "red", "shoes", "size", "12").stream().anyMatch(w -> w.startsWith(piece)))
          .as("piece '" + piece + "'").isTrue();
    }
    assertThat(afterBracket.get(END)).isFalse();
    assertThat(c.allowed(TOKENIZER.encode("Action: search[red shoes]")).get(END)).isTrue();
    assertThat(c.allowed(TOKENIZER.encode("Action: search[red running")).cardinality()).isZero();
  }

  @Test
  void withThoughtsTheReplyIsFreeUntilItsAction() {
    ActionSpace space = new ActionSpace(List.of("click[Buy Now]"), List.of());
    ActionConstraint c = constraint(space, List.of(), true, QueryStyle.FREE);
    assertThat(c.allowed(TOKENIZER.encode("Thought: I like it"))).isNull();
    BitSet afterMarker = c.allowed(TOKENIZER.encode("Thought: I like it.\nAction: "));
    assertThat(afterMarker.cardinality()).isPositive();
    for (int t = afterMarker.nextSetBit(0); t >= 0; t = afterMarker.nextSetBit(t + 1)) {
      assertThat("click[Buy Now]").startsWith(TOKENIZER.decode(new int[] {t}, false));
    }
  }

  @Test
  void aGivenQueryIsTheOnlySearchAndTheModelStillChoosesBetweenItAndTheClicks() {
    ActionSpace space = new ActionSpace(List.of("click[Buy Now]"), List.of("search"),
        java.util.Map.of("search", "Red running shoes 12"));
    ActionConstraint c = constraint(space, List.of(), false, QueryStyle.GIVEN);
    List<String> texts = spellable(c, TOKENIZER.encode("Action: "), 30).stream().distinct().toList();
    assertThat(texts).containsExactlyInAnyOrder("Action: search[Red running shoes 12]", "Action: click[Buy Now]");
    // a text action without a given text cannot be taken at all
    ActionConstraint none = constraint(new ActionSpace(List.of(), List.of("search")), List.of(), false, QueryStyle.GIVEN);
    assertThat(none.allowed(TOKENIZER.encode("Action: s")).cardinality()).isZero();
  }
}
