package org.eef4j.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GemmTest {

  private static float[] random(SplittableRandom r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = (float) r.nextDouble(-1, 1);
    return x;
  }

  /**
   * Every transpose combination, with offsets and leading dimensions wider than the matrices, accumulating or not,
   * blocked (vector serial, scalar parallel) and the public parallel entry against the naive double-accumulating loop. Sizes cross the
   * microkernel tile (4, 6 or 8 rows × 2 vectors), the packing blocks (KC = 256, MC = 128, NC = 1024) and leave ragged edges. Float
   * rounding of a length-k dot product of values in [-1, 1] grows like √k, hence the tolerance.
   */
  @ParameterizedTest
  @CsvSource({"1,1,1", "13,13,13", "1,207,13", "207,13,1", "13,207,207", "207,207,13", "13,17,4098", "3,1100,5",
      "130,70,300", "9,33,257"})
  void blockedMatchesNaiveForEveryTransposeAndOffset(int m, int n, int k) {
    SplittableRandom r = new SplittableRandom(m * 1_000_003L + n * 1009L + k);
    for (int variant = 0; variant < 8; variant++) {
      boolean ta = (variant & 1) != 0;
      boolean tb = (variant & 2) != 0;
      boolean acc = (variant & 4) != 0;
      int lda = (ta ? m : k) + 3;
      int ldb = (tb ? k : n) + 2;
      int ldc = n + 5;
      int aOff = 7;
      int bOff = 11;
      int cOff = 4;
      float[] a = random(r, aOff + (ta ? k : m) * lda);
      float[] b = random(r, bOff + (tb ? n : k) * ldb);
      float[] c0 = random(r, cOff + m * ldc);
      float[] expected = c0.clone();
      Gemm.gemmNaive(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, expected, cOff, ldc, acc);
      float tol = 2e-6f * (float) Math.sqrt(k) + 1e-6f;
      float[][] results = new float[3][];
      results[0] = c0.clone();
      Gemm.blocked(Backend.vector(), null, ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, results[0], cOff, ldc, acc);
      results[1] = c0.clone();
      Gemm.blocked(false, WorkerPool.shared(), ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, results[1], cOff, ldc, acc);
      results[2] = c0.clone();
      Gemm.gemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, results[2], cOff, ldc, acc);
      // Each output is its KC-long FMA chains added in k order, whatever the tile, width, path or thread count:
      // the three agree to the bit.
      assertSameBits(results[1], results[0], "scalar twin, parallel");
      assertSameBits(results[2], results[0], "public entry");
      for (float[] got : results) {
        for (int i = 0; i < c0.length; i++) {
          int row = (i - cOff) / ldc;
          int col = (i - cOff) % ldc;
          boolean inside = i >= cOff && row < m && col < n;
          if (inside) {
            assertThat(got[i]).as("C[%d,%d] ta=%s tb=%s acc=%s", row, col, ta, tb, acc).isCloseTo(expected[i],
                org.assertj.core.data.Offset.offset(tol * Math.max(1f, Math.abs(expected[i]))));
          } else {
            assertThat(got[i]).as("untouched outside C at %d", i).isEqualTo(c0[i]);
          }
        }
      }
    }
  }

  /** Equal bits, reported as the first differing index rather than two whole arrays. */
  static void assertSameBits(float[] got, float[] want, String what) {
    int at = java.util.Arrays.mismatch(got, want);
    if (at >= 0) {
      throw new AssertionError(what + ": element " + at + " is " + got[at] + ", expected " + want[at]);
    }
  }

  @Test
  void emptyDepthClearsOrKeepsC() {
    float[] c = {1, 2, 3, 4};
    Gemm.gemm(false, false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 2, c, 0, 2, true);
    assertThat(c).containsExactly(1, 2, 3, 4);
    Gemm.gemm(false, false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 2, c, 0, 2, false);
    assertThat(c).containsExactly(0, 0, 0, 0);
  }
}
