package org.eef4j.student.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.eef4j.core.agent.ActionSpace;
import org.junit.jupiter.api.Test;

class ActionGrammarTest {

  static final ActionSpace RESULTS = new ActionSpace(
      List.of("click[Back to Search]", "click[Next >]", "click[B0ABC12345]", "click[B0ABD99999]"), List.of());
  static final ActionSpace SEARCH = new ActionSpace(List.of(), List.of("search"));

  @Test
  void choicesArePrefixesAndWholesAsThePageWritesThem() {
    ActionGrammar g = new ActionGrammar(RESULTS, null, false);
    assertThat(g.viable("")).isTrue();
    assertThat(g.viable("click[B0AB")).isTrue();
    assertThat(g.viable("click[B0ABC")).isTrue();
    assertThat(g.viable("click[B0ABE")).isFalse();
    assertThat(g.viable("click[b0abc")).isFalse();
    assertThat(g.viable("click[Next >]")).isTrue();
    assertThat(g.viable("click[Next >] ")).isFalse();
    assertThat(g.viable("search[")).isFalse();
    assertThat(g.complete("click[B0ABC12345]")).isTrue();
    assertThat(g.complete("click[B0ABC1234")).isFalse();
    assertThat(g.complete("click[Buy Now]")).isFalse();
  }

  @Test
  void freeQueriesTakeAnyTextButBracketsAndLineBreaks() {
    ActionGrammar g = new ActionGrammar(SEARCH, null, false);
    assertThat(g.viable("sea")).isTrue();
    assertThat(g.viable("search[anything at all 12.5")).isTrue();
    assertThat(g.viable("search[red]")).isTrue();
    assertThat(g.viable("search[red] ")).isFalse();
    assertThat(g.viable("search[a[b")).isFalse();
    assertThat(g.viable("search[a\nb")).isFalse();
    assertThat(g.complete("search[red shoes]")).isTrue();
    assertThat(g.complete("search[]")).isFalse();
    assertThat(g.viable("click[")).isFalse();
  }

  @Test
  void copiedQueriesUseOnlyTheGivenWordsSeparatedBySingleSpaces() {
    ActionGrammar g = new ActionGrammar(SEARCH, List.of("red", "running", "shoes", "12"), false);
    assertThat(g.viable("search[red run")).isTrue();
    assertThat(g.viable("search[Red")).isFalse();
    assertThat(g.viable("search[red running sh")).isTrue();
    assertThat(g.viable("search[red ")).isTrue();
    assertThat(g.viable("search[red  ")).isFalse();
    assertThat(g.viable("search[ red")).isFalse();
    assertThat(g.viable("search[blue")).isFalse();
    assertThat(g.viable("search[reds")).isFalse();
    assertThat(g.complete("search[shoes red 12]")).isTrue();
    assertThat(g.complete("search[shoes sh]")).isFalse();
    assertThat(g.complete("search[shoes ]")).isFalse();
    assertThat(g.viable("search[running]")).isTrue();
  }

  @Test
  void aGivenTextIsTheTextActionsOnlyCompletion() {
    ActionSpace space = new ActionSpace(List.of("click[Buy Now]"), List.of("search"), java.util.Map.of("search", "red shoes"));
    ActionGrammar g = new ActionGrammar(space, null, true);
    assertThat(g.viable("search[red sh")).isTrue();
    assertThat(g.viable("search[blue")).isFalse();
    assertThat(g.complete("search[red shoes]")).isTrue();
    assertThat(g.complete("search[red]")).isFalse();
    assertThat(g.complete("click[Buy Now]")).isTrue();
    assertThat(new ActionGrammar(space, null, false).complete("search[blue]")).isTrue();
  }

  @Test
  void wordsAreCutFromTextsWithoutTheirPunctuation() {
    assertThat(ActionGrammar.wordsOf(List.of("Find me: white, size 12, price lower than 100.00 dollars [SEP] x")))
        .containsExactly("Find", "me", "white", "size", "12", "price", "lower", "than", "100.00", "dollars", "SEP", "x");
  }
}
