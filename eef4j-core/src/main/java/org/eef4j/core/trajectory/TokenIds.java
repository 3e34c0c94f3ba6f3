package org.eef4j.core.trajectory;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * Token ids as a policy sampled them, immutable and compared by value, so that a trajectory can carry the exact ids a
 * server returned to the trainer that later learns from them (a re-tokenized text may split differently).
 *
 * <p>A class rather than a record over {@code int[]}: a record compares arrays by identity.
 */
public final class TokenIds {

  private final int[] ids;

  private TokenIds(int[] ids) {
    this.ids = ids;
  }

  /** A copy of the given ids; each must be >= 0. */
  public static TokenIds of(int... ids) {
    int[] copy = ids.clone();
    for (int i = 0; i < copy.length; i++) {
      if (copy[i] < 0) {
        throw new IllegalArgumentException("token id " + i + " is negative: " + copy[i]);
      }
    }
    return new TokenIds(copy);
  }

  public int size() {
    return ids.length;
  }

  public int get(int i) {
    return ids[i];
  }

  public int last() {
    if (ids.length == 0) {
      throw new IllegalStateException("no token ids");
    }
    return ids[ids.length - 1];
  }

  /** A copy of the ids. */
  public int[] toArray() {
    return ids.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenIds t && Arrays.equals(ids, t.ids);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ids);
  }

  @Override
  public String toString() {
    StringJoiner j = new StringJoiner(", ", "[", "]");
    for (int id : ids) {
      j.add(Integer.toString(id));
    }
    return j.toString();
  }
}
