package org.eef4j.core.agent;

import java.util.List;
import java.util.Map;

/**
 * The actions an environment accepts in its current state, for policies that decode only valid actions (constrained
 * decoding). WebShop's is its available actions: the page's clickables as {@code click[...]} choices, and
 * {@code search[...]} with any text on a page with a search bar.
 *
 * @param choices complete actions, written as the page shows them (e.g. {@code click[Buy Now]}); an environment that
 *     compares without regard to case (WebShop) accepts them in any case
 * @param textActions the names of actions that take free text in brackets (e.g. {@code search} for
 *     {@code search[red shoes]})
 * @param givenTexts for some text actions, a text the environment offers for them (WebShop: the instruction for
 *     {@code search}), which a policy may use instead of writing one
 */
public record ActionSpace(List<String> choices, List<String> textActions, Map<String, String> givenTexts) {

  public ActionSpace {
    choices = List.copyOf(choices);
    textActions = List.copyOf(textActions);
    givenTexts = Map.copyOf(givenTexts);
    for (String name : givenTexts.keySet()) {
      if (!textActions.contains(name)) {
        throw new IllegalArgumentException("a given text for '" + name + "', which is not a text action here");
      }
    }
    for (String name : textActions) {
      if (name.isEmpty() || name.contains("[")) {
        throw new IllegalArgumentException("a text action is named by its word alone, like \"search\", got '" + name + "'");
      }
    }
  }

  /** A space without given texts. */
  public ActionSpace(List<String> choices, List<String> textActions) {
    this(choices, textActions, Map.of());
  }
}
