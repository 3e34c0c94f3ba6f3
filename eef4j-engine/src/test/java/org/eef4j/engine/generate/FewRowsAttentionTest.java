package org.eef4j.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.eef4j.engine.kernel.Gemm;
import org.eef4j.engine.model.ModelConfig;
import org.junit.jupiter.api.Test;

/**
 * Both products, vector kernels and scalar twins, against Gemm's bits. Run at every vector width the machine has
 * ({@code -Dvector.args="--add-modules jdk.incubator.vector -Deef4j.vector.bits=128"} and 256): the vector kernels
 * take 8, 4 and 1 vectors of keys at a time, so the cache lengths below cross each of those and the 64-position key
 * blocks at 4, 8 and 16 lanes.
 */
class FewRowsAttentionTest {

  private static final int[] LENGTHS = {1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 191,
      255, 256, 257, 300, 613};

  private static float[] random(int n, Random r) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
    return a;
  }

  private static ModelConfig config(int kvHeads, int headDim, int context) {
    return new ModelConfig("llama", 16, kvHeads * headDim, 16, 1, kvHeads, kvHeads, headDim, 1e-5, 10000, true, false,
        false, context);
  }

  /**
   * A cache holding {@code keys} (token-major, [n × kvDim]) written in uneven pieces, as prefill chunks and decode steps
   * append them: across block boundaries, and one position at a time.
   */
  private static KvCache cacheWith(ModelConfig c, float[] keys, int n, Random r) {
    KvCache cache = new KvCache(c, n);
    int at = 0;
    while (at < n) {
      int piece = Math.min(n - at, r.nextBoolean() ? 1 + r.nextInt(3) : 1 + r.nextInt(90));
      cache.putKeys(0, at, piece, keys, at * c.kvDim());
      at += piece;
    }
    return cache;
  }

  /** Head sizes with and without a whole vector, and one past Gemm's k block of 256 (two chains per score). */
  @Test
  void scoresHaveGemmsBitsOnTheTransposedKeys() {
    Random r = new Random(3);
    for (int hd : new int[] {32, 12, 40, 64, 300}) {
      int kvHeads = 3;
      int kvd = kvHeads * hd;
      int max = LENGTHS[LENGTHS.length - 1];
      ModelConfig c = config(kvHeads, hd, 1024);
      float[] keys = random(max * kvd, r);
      KvCache cache = cacheWith(c, keys, max, r);
      for (int cols : LENGTHS) {
        for (int rows = 1; rows <= FewRowsAttention.MAX_ROWS; rows++) {
          for (int h : new int[] {0, 2}) {
            float[] q = random(rows * hd, r);
            float[] expected = new float[rows * cols];
            Gemm.gemmSerial(false, true, rows, cols, hd, q, 0, hd, keys, h * hd, kvd, expected, 0, cols, false);
            for (boolean vector : new boolean[] {true, false}) {
              float[] actual = random(rows * cols + 5, r); // overwritten up to rows·cols, whatever it held
              float[] tail = Arrays.copyOfRange(actual, rows * cols, actual.length);
              FewRowsAttention.scores(vector, q, rows, hd, cache.k[0], cache.keyHead(h), cols, actual);
              assertThat(Arrays.copyOf(actual, rows * cols))
                  .as("scores hd %d, %d keys, %d rows, head %d, vector %s", hd, cols, rows, h, vector)
                  .containsExactly(expected);
              assertThat(Arrays.copyOfRange(actual, rows * cols, actual.length)).as("past the scores").isEqualTo(tail);
            }
          }
        }
      }
    }
  }

  /** A chain whose products all underflow ends in -0; Gemm adds it to a zeroed output, which gives +0. */
  @Test
  void aChainEndingInMinusZeroGivesPlusZeroAsGemmDoes() {
    int hd = 8;
    int cols = 70;
    ModelConfig c = config(1, hd, 128);
    float[] keys = new float[cols * hd];
    Arrays.fill(keys, 1e-30f);
    float[] q = new float[hd];
    Arrays.fill(q, -1e-30f);
    KvCache cache = new KvCache(c, cols);
    cache.putKeys(0, 0, cols, keys, 0);
    float[] expected = new float[cols];
    Gemm.gemmSerial(false, true, 1, cols, hd, q, 0, hd, keys, 0, hd, expected, 0, cols, false);
    assertThat(Float.floatToRawIntBits(expected[0])).as("Gemm's bits").isZero();
    for (boolean vector : new boolean[] {true, false}) {
      float[] actual = new float[cols];
      FewRowsAttention.scores(vector, q, 1, hd, cache.k[0], cache.keyHead(0), cols, actual);
      assertThat(actual).as("vector %s", vector).containsExactly(expected);
    }

    float[] values = keys; // the same tiny values: every weighted sum underflows to -0 as well
    float[] p = new float[cols];
    Arrays.fill(p, -1e-30f);
    float[] want = new float[hd];
    Gemm.gemmSerial(false, false, 1, hd, cols, p, 0, cols, values, 0, hd, want, 0, hd, false);
    assertThat(Float.floatToRawIntBits(want[0])).as("Gemm's bits").isZero();
    for (boolean vector : new boolean[] {true, false}) {
      float[] actual = new float[hd];
      FewRowsAttention.weightedValues(vector, p, 1, cols, values, 0, hd, hd, actual);
      assertThat(actual).as("values, vector %s", vector).containsExactly(want);
    }
  }

  @Test
  void weightedValuesHaveGemmsBits() {
    Random r = new Random(5);
    for (int hd : new int[] {32, 12, 40, 48, 64, 80, 128}) { // 0 to 32 vectors per row, odd and even counts
      for (int cols : new int[] {1, 7, 8, 256, 300, 613}) {
        for (int rows = 1; rows <= FewRowsAttention.MAX_ROWS; rows++) {
          int ld = 3 * hd + 5; // a value row among others
          int off = hd + 2;
          float[] v = random(off + cols * ld, r);
          float[] p = random(rows * cols, r);
          float[] out = new float[rows * hd];
          Gemm.gemmSerial(false, false, rows, hd, cols, p, 0, cols, v, off, ld, out, 0, hd, false);
          for (boolean vector : new boolean[] {true, false}) {
            float[] mine = random(rows * hd, r);
            FewRowsAttention.weightedValues(vector, p, rows, cols, v, off, ld, hd, mine);
            assertThat(mine).as("values hd %d, %d keys, %d rows, vector %s", hd, cols, rows, vector)
                .containsExactly(out);
          }
        }
      }
    }
  }
}
