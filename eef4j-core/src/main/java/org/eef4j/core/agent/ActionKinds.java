package org.eef4j.core.agent;

import java.util.List;
import java.util.Optional;

/**
 * The kinds of action an environment names for the skill-usage report (WebShop: search, next page, option, buy, ...).
 * Only the environment can tell them apart (the same {@code click[x]} opens a product on one page and picks an option
 * on another), so each environment implements its own; the report shows whatever kinds it names
 * ({@link org.eef4j.core.eval.ActionKindCounts}).
 */
public interface ActionKinds {

  /** An environment that names no kinds: no skill usage is counted. */
  ActionKinds NONE = new ActionKinds() {
    @Override
    public List<String> names() {
      return List.of();
    }

    @Override
    public String of(Optional<String> action, String observation) {
      throw new IllegalStateException("an environment that names no action kinds classifies no action");
    }
  };

  /**
   * Every kind, in the order the report lists them. The names are keys of the run's files (test.eval.json,
   * metrics.json): renaming one makes earlier runs read differently.
   */
  List<String> names();

  /**
   * The kind of one action, one of {@link #names()}.
   *
   * @param action the action the agent's reply names (ReAct: the text after "Action: "), or empty for a reply
   *     without a parsable action
   * @param observation the observation the reply answered
   */
  String of(Optional<String> action, String observation);

  /** A kind as a report writes it: its name in lower case, words apart ("NEXT_PAGE": "next page"). */
  default String label(String name) {
    return name.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }
}
