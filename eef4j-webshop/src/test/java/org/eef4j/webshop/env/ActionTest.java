package org.eef4j.webshop.env;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The action grammar with Python's re.match semantics (spec WEBSHOP.md c). */
class ActionTest {

  @Test
  void searchAndClickWithLowerCasedArgument() {
    assertThat(Action.parse("search[Red Shoes]")).isEqualTo(new Action.Search("red shoes"));
    assertThat(Action.parse("click[Buy Now]")).isEqualTo(new Action.Click("buy now"));
    assertThat(Action.parse("click[< Prev]")).isEqualTo(new Action.Click("< prev"));
  }

  @Test
  void matchIsAnchoredAtTheStartOnlyAndGreedy() {
    assertThat(Action.parse("search[shoes] please")).isEqualTo(new Action.Search("shoes"));
    assertThat(Action.parse("search[a [b] c]")).isInstanceOf(Action.Invalid.class); // name "search[a "
    assertThat(Action.parse("click[x] or click[y]")).isInstanceOf(Action.Invalid.class);
    assertThat(Action.parse(" search[shoes]")).isInstanceOf(Action.Invalid.class);
    assertThat(Action.parse("Search[shoes]")).isInstanceOf(Action.Invalid.class);
  }

  @Test
  void dotStopsAtNewlineOnly() {
    assertThat(Action.parse("search[shoes]\nThought: done")).isEqualTo(new Action.Search("shoes"));
    assertThat(Action.parse("search[red\nshoes]")).isInstanceOf(Action.Invalid.class);
    assertThat(Action.parse("search[red\rshoes]")).isEqualTo(new Action.Search("red\rshoes"));
    assertThat(Action.parse("search[red\u2028shoes]")).isEqualTo(new Action.Search("red\u2028shoes"));
  }

  @Test
  void emptyOrMissingArgumentsAreInvalid() {
    assertThat(Action.parse("search[]")).isInstanceOf(Action.Invalid.class);
    assertThat(Action.parse("click")).isInstanceOf(Action.Invalid.class);
    assertThat(Action.parse("[shoes]")).isInstanceOf(Action.Invalid.class);
    assertThat(Action.parse("")).isInstanceOf(Action.Invalid.class);
  }
}
