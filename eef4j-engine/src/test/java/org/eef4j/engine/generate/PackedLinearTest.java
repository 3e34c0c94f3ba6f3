package org.eef4j.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.eef4j.engine.kernel.Gemm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The packed inference product against the plain triple loop, and its independence of the number of rows. */
class PackedLinearTest {

  static float[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = (float) r.nextDouble(-1, 1);
    return x;
  }

  @ParameterizedTest
  @CsvSource({"1,1,1", "1,13,207", "5,33,13", "9,207,300", "32,70,4098", "3,1000,64"})
  void matchesThePlainProductAndEveryRowIsTheSameAlone(int m, int n, int k) {
    float[] w = random(7 + n * k, n);
    float[] x = random(m * k, m);
    PackedLinear packed = new PackedLinear(w, 7, n, k);
    float[] y = new float[m * n];
    packed.apply(x, m, y, false);
    float[] want = new float[m * n];
    Gemm.gemmNaive(false, true, m, n, k, x, 0, k, w, 7, k, want, 0, n, false);
    double tol = 1e-6 * Math.sqrt(k) * 4;
    for (int i = 0; i < y.length; i++) assertThat((double) y[i]).isCloseTo(want[i], org.assertj.core.data.Offset.offset(tol));

    // accumulate adds the product to what y holds
    float[] acc = new float[m * n];
    Arrays.fill(acc, 1f);
    packed.apply(x, m, acc, true);
    for (int i = 0; i < y.length; i++) assertThat((double) acc[i]).isCloseTo(y[i] + 1.0, org.assertj.core.data.Offset.offset(1e-5));

    // each row alone gives the same bits as in the batch
    for (int r = 0; r < m; r++) {
      float[] one = new float[n];
      packed.apply(Arrays.copyOfRange(x, r * k, (r + 1) * k), 1, one, false);
      assertThat(one).as("row %d", r).isEqualTo(Arrays.copyOfRange(y, r * n, (r + 1) * n));
    }
  }
}
