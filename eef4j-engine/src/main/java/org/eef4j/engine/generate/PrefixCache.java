package org.eef4j.engine.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * Caches of finished sequences, kept so that a new prompt that starts with the same tokens copies their keys and
 * values instead of recomputing them. Looked up by the longest common prefix of token ids (a linear scan: the entries
 * are few and the comparison is a vectorised mismatch), bounded by positions held, least recently used dropped first.
 */
final class PrefixCache {

  private final long budget;
  private final List<KvCache> entries = new ArrayList<>(); // most recently used last
  private long held;

  PrefixCache(long budget) {
    this.budget = budget;
  }

  /** A cache matching {@code prompt} on the most leading positions, and how many, or null when none shares any. */
  Match longest(int[] prompt) {
    KvCache best = null;
    int bestLength = 0;
    for (KvCache e : entries) {
      int n = e.commonPrefix(prompt);
      if (n > bestLength) {
        best = e;
        bestLength = n;
      }
    }
    if (best != null) {
      entries.remove(best);
      entries.add(best);
    }
    return best == null ? null : new Match(best, bestLength);
  }

  record Match(KvCache cache, int length) {}

  /** Keeps a finished sequence's cache (trimmed to what it computed), dropping the least recently used over budget. */
  void add(KvCache cache) {
    if (cache.length() == 0 || cache.length() > budget) return;
    // a cache whose tokens another entry already covers adds nothing; one that extends an entry replaces it
    for (int i = 0; i < entries.size(); i++) {
      KvCache e = entries.get(i);
      int common = e.commonPrefix(tokensOf(cache));
      if (common == cache.length()) return;
      if (common == e.length()) {
        entries.remove(i--);
        held -= e.capacity();
      }
    }
    entries.add(cache);
    held += cache.capacity();
    while (held > budget && !entries.isEmpty()) held -= entries.removeFirst().capacity();
  }

  void clear() {
    entries.clear();
    held = 0;
  }

  long heldTokens() {
    return held;
  }

  int size() {
    return entries.size();
  }

  private static int[] tokensOf(KvCache c) {
    int[] ids = new int[c.length()];
    for (int i = 0; i < ids.length; i++) ids[i] = c.token(i);
    return ids;
  }
}
