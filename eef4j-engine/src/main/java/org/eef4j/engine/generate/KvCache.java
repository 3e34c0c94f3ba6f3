package org.eef4j.engine.generate;

import java.util.Arrays;
import org.eef4j.engine.model.ModelConfig;

/**
 * The keys and values one sequence has computed, per layer: {@code k[l], v[l]} are [capacity × kvHeads·headDim],
 * token-major (row p is position p, already rotated for keys), the layout the projections write. Row p depends only on
 * tokens 0..p, so the rows of any prefix can be copied into another sequence that starts with the same tokens. Sized
 * once for the sequence (prompt plus budget, at most the model's context) and dropped when it finishes.
 */
public final class KvCache {

  final float[][] k;
  final float[][] v;
  private final int[] tokens;
  private final int kvDim;
  private int length;

  public KvCache(ModelConfig config, int capacity) {
    if (capacity < 1 || capacity > config.maxPositionEmbeddings()) {
      throw new IllegalArgumentException("cache capacity " + capacity + " outside [1, max_position_embeddings "
          + config.maxPositionEmbeddings() + "]");
    }
    kvDim = config.kvDim();
    long floats = (long) capacity * kvDim;
    if (floats > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("cache of " + capacity + " is too large");
    k = new float[config.numLayers()][(int) floats];
    v = new float[config.numLayers()][(int) floats];
    tokens = new int[capacity];
  }

  /** Positions computed so far. */
  public int length() {
    return length;
  }

  public int capacity() {
    return tokens.length;
  }

  /** The token at a computed position. */
  public int token(int position) {
    if (position >= length) throw new IndexOutOfBoundsException(position + " of " + length);
    return tokens[position];
  }

  /** Bytes held, for memory accounting. */
  public long bytes() {
    return 2L * k.length * k[0].length * Float.BYTES + 4L * tokens.length;
  }

  /** The number of leading positions computed for exactly the leading ids of {@code ids}. */
  int commonPrefix(int[] ids) {
    int n = Math.min(length, ids.length);
    int i = Arrays.mismatch(tokens, 0, n, ids, 0, n);
    return i < 0 ? n : i;
  }

  /** Takes the first {@code n} positions of {@code from} (which must hold them) as this cache's own. */
  void copyPrefix(KvCache from, int n) {
    if (length != 0) throw new IllegalStateException("copy into a cache that already holds " + length + " positions");
    if (n > from.length || n > capacity()) throw new IllegalArgumentException("cannot copy " + n + " positions");
    for (int l = 0; l < k.length; l++) {
      System.arraycopy(from.k[l], 0, k[l], 0, n * kvDim);
      System.arraycopy(from.v[l], 0, v[l], 0, n * kvDim);
    }
    System.arraycopy(from.tokens, 0, tokens, 0, n);
    length = n;
  }

  /** Records that positions [length, length + ids.length) now hold these tokens' keys and values. */
  void commit(int[] ids, int from, int to) {
    int n = to - from;
    if (length + n > capacity()) throw new IllegalStateException("cache full: " + length + " + " + n);
    System.arraycopy(ids, from, tokens, length, n);
    length += n;
  }

  /** A copy holding exactly the computed positions (for keeping a finished sequence in the prefix cache). */
  KvCache trimmed(ModelConfig config) {
    if (length == capacity() || length == 0) return this;
    KvCache t = new KvCache(config, length);
    t.copyPrefix(this, length);
    return t;
  }
}
