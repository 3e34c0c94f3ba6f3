package org.eef4j.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.eef4j.engine.kernel.Gemm;
import org.junit.jupiter.api.Test;

class FewRowsAttentionTest {

  private static float[] random(int n, Random r) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
    return a;
  }

  /** Head sizes with and without a whole vector; cache lengths across Gemm's k blocks and not a multiple of 8. */
  @Test
  void bothProductsHaveGemmsBits() {
    Random r = new Random(3);
    for (int hd : new int[] {32, 12, 40, 64}) {
      for (int cols : new int[] {1, 7, 8, 300, 613}) {
        for (int rows = 1; rows <= FewRowsAttention.MAX_ROWS; rows++) {
          int ld = 3 * hd + 5; // a key/value row among others
          int off = hd + 2;
          float[] q = random(rows * hd, r);
          float[] kv = random(off + cols * ld, r);
          float[] expected = new float[rows * cols];
          Gemm.gemmSerial(false, true, rows, cols, hd, q, 0, hd, kv, off, ld, expected, 0, cols, false);
          float[] actual = random(rows * cols, r); // overwritten, whatever it held
          FewRowsAttention.scores(q, rows, hd, kv, off, ld, cols, actual);
          assertThat(actual).as("scores hd %d, %d keys, %d rows", hd, cols, rows).containsExactly(expected);

          float[] p = random(rows * cols, r);
          float[] out = new float[rows * hd];
          Gemm.gemmSerial(false, false, rows, hd, cols, p, 0, cols, kv, off, ld, out, 0, hd, false);
          float[] mine = random(rows * hd, r);
          FewRowsAttention.weightedValues(p, rows, cols, kv, off, ld, hd, mine);
          assertThat(mine).as("values hd %d, %d keys, %d rows", hd, cols, rows).containsExactly(out);
        }
      }
    }
  }
}
