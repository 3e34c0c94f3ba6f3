package org.eef4j.webshop.catalog;

import java.util.List;
import java.util.SequencedMap;

/**
 * The options a goal asks for. The two goal sources store them differently, and the reward treats the two differently
 * (spec WEBSHOP.md a, "Java pitfalls"), so the difference is kept in the type.
 */
public sealed interface GoalOptions {

  int size();

  /** Synthetic goals: option name to value; the reward sees each pair as the tuple {@code (name, value)}. */
  record Named(SequencedMap<String, String> byName) implements GoalOptions {
    public Named {
      byName = java.util.Collections.unmodifiableSequencedMap(new java.util.LinkedHashMap<>(byName));
    }

    @Override
    public int size() {
      return byName.size();
    }
  }

  /** Human goals: plain option values, e.g. {@code ["7.5"]}. */
  record Plain(List<String> values) implements GoalOptions {
    public Plain {
      values = List.copyOf(values);
    }

    @Override
    public int size() {
      return values.size();
    }
  }
}
