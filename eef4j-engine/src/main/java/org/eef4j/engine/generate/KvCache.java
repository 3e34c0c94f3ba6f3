package org.eef4j.engine.generate;

import java.util.Arrays;
import org.eef4j.engine.model.ModelConfig;

/**
 * The keys and values one sequence has computed, per layer (keys already rotated). Position p depends only on tokens
 * 0..p, so the positions of any prefix can be copied into another sequence that starts with the same tokens. Sized once
 * for the sequence (prompt plus budget, at most the model's context) and dropped when it finishes.
 *
 * <p>Values {@code v[l]} are [capacity × kvHeads·headDim], token-major (row p is position p), the layout the projection
 * writes and the one the product with the attention weights reads: a row of values feeds a vector FMA per lane group.
 *
 * <p>Keys {@code k[l]} are stored transposed in blocks of {@link #BLOCK} positions, per key/value head: head h's block b
 * starts at {@link #keyHead keyHead(h)} {@code + b·}{@link #keyBlock()}, and holds dimension d of position
 * {@code b·BLOCK + s} at {@code d·BLOCK + s}. A decode step's scores (one query row against every cached key) then run
 * with keys along the vector lanes: per dimension, one vector FMA serves a lane count of keys, each lane the same FMA
 * chain over the dimensions that a key read row by row would get. Blocks, not one row per dimension across the whole
 * capacity, so that a group of keys' dimensions lie together (a block is headDim × 64 floats, 8 KB at head size 32)
 * rather than in headDim rows a capacity apart. Padding the capacity to whole blocks costs at most 63 positions' keys.
 */
public final class KvCache {

  /** Positions per key block: a multiple of every vector's lane count (4, 8, 16), so no vector straddles two blocks. */
  static final int BLOCK = 64;

  final float[][] k;
  final float[][] v;
  private final int[] tokens;
  private final int kvDim;
  private final int headDim;
  private final int blocks;
  private int length;

  public KvCache(ModelConfig config, int capacity) {
    if (capacity < 1 || capacity > config.maxPositionEmbeddings()) {
      throw new IllegalArgumentException("cache capacity " + capacity + " outside [1, max_position_embeddings "
          + config.maxPositionEmbeddings() + "]");
    }
    kvDim = config.kvDim();
    headDim = config.headDim();
    blocks = (capacity + BLOCK - 1) / BLOCK;
    long keyFloats = (long) blocks * BLOCK * kvDim;
    if (keyFloats > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("cache of " + capacity + " is too large");
    k = new float[config.numLayers()][(int) keyFloats];
    v = new float[config.numLayers()][capacity * kvDim];
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
    return (long) k.length * ((long) k[0].length + v[0].length) * Float.BYTES + 4L * tokens.length;
  }

  /** Offset in {@code k[l]} of key/value head {@code h}'s first key block. */
  int keyHead(int h) {
    return h * blocks * keyBlock();
  }

  /** Floats of one key block of one head: headDim × {@link #BLOCK}. */
  int keyBlock() {
    return headDim * BLOCK;
  }

  /**
   * Writes the keys of {@code n} positions from {@code at} into layer {@code layer}: position {@code at + i}'s keys
   * (kvHeads·headDim floats, head-major, as the projection writes a row) from {@code src[srcOff + i·kvDim ...]}.
   */
  void putKeys(int layer, int at, int n, float[] src, int srcOff) {
    if (at < 0 || at + n > capacity()) throw new IllegalArgumentException("keys [" + at + ", " + (at + n) + ") of "
        + capacity());
    float[] kl = k[layer];
    int heads = kvDim / headDim;
    // Positions innermost: a prefill's writes then run along a block's rows instead of jumping a row per float.
    for (int h = 0; h < heads; h++) {
      for (int p0 = at; p0 < at + n; p0 = (p0 / BLOCK + 1) * BLOCK) {
        int p1 = Math.min(at + n, (p0 / BLOCK + 1) * BLOCK);
        int dst = keyHead(h) + (p0 / BLOCK) * keyBlock() + p0 % BLOCK;
        int from = srcOff + (p0 - at) * kvDim + h * headDim;
        for (int d = 0; d < headDim; d++) {
          int row = dst + d * BLOCK;
          for (int i = 0; i < p1 - p0; i++) kl[row + i] = src[from + i * kvDim + d];
        }
      }
    }
  }

  /** Writes the values of {@code n} positions from {@code at}, rows of kvDim floats from {@code src[srcOff]}. */
  void putValues(int layer, int at, int n, float[] src, int srcOff) {
    System.arraycopy(src, srcOff, v[layer], at * kvDim, n * kvDim);
  }

  /** Position {@code p}'s key, dimension {@code d} of key/value head {@code h} of layer {@code layer}. */
  float key(int layer, int p, int h, int d) {
    return k[layer][keyHead(h) + (p / BLOCK) * keyBlock() + d * BLOCK + p % BLOCK];
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
    // Whole key blocks: the slots past n in the last one are overwritten before any score reads them.
    int keyFloats = (n + BLOCK - 1) / BLOCK * keyBlock();
    int heads = kvDim / headDim;
    for (int l = 0; l < k.length; l++) {
      for (int h = 0; h < heads; h++) System.arraycopy(from.k[l], from.keyHead(h), k[l], keyHead(h), keyFloats);
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
