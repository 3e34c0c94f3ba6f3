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

  @ParameterizedTest
  @CsvSource({"1,1,1", "1,13,207", "5,33,13", "9,207,300", "2,64,600", "32,70,4098", "3,1000,64"})
  void bf16WeightsGiveTheF32ProductOfTheRoundedWeightsBitForBit(int m, int n, int k) {
    float[] w = random(7 + n * k, n);
    float[] x = random(m * k, m);
    float[] rounded = w.clone();
    for (int i = 0; i < rounded.length; i++) rounded[i] = PackedLinear.fromBf16(PackedLinear.toBf16(w[i]));
    PackedLinear bf16 = new PackedLinear(w, 7, n, k, true);
    assertThat(bf16.bf16()).isTrue();
    for (boolean accumulate : new boolean[] {false, true}) {
      float[] got = random(m * n, 3);
      float[] want = got.clone();
      bf16.apply(x, m, got, accumulate);
      new PackedLinear(rounded, 7, n, k).apply(x, m, want, accumulate);
      assertThat(got).as("accumulate %s", accumulate).isEqualTo(want);
    }
    // each row alone gives the bits it has in the batch (decode at batch 1 runs other kernels than prefill)
    float[] y = new float[m * n];
    bf16.apply(x, m, y, false);
    for (int r = 0; r < m; r++) {
      float[] one = new float[n];
      bf16.apply(Arrays.copyOfRange(x, r * k, (r + 1) * k), 1, one, false);
      assertThat(one).as("row %d", r).isEqualTo(Arrays.copyOfRange(y, r * n, (r + 1) * n));
    }
  }

  @org.junit.jupiter.api.Test
  void bf16RoundsToNearestWithTiesToEven() {
    assertThat(PackedLinear.toBf16(1f)).isEqualTo(0x3F80);
    assertThat(PackedLinear.toBf16(-2f)).isEqualTo(0xC000);
    // 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: to the even one, 1
    assertThat(PackedLinear.toBf16(Float.intBitsToFloat(0x3F808000))).isEqualTo(0x3F80);
    // 1 + 3·2^-8 lies halfway between 1 + 2^-7 (odd) and 1 + 2^-6: to the even one, up
    assertThat(PackedLinear.toBf16(Float.intBitsToFloat(0x3F818000))).isEqualTo(0x3F82);
    // just past halfway rounds up, just below rounds down
    assertThat(PackedLinear.toBf16(Float.intBitsToFloat(0x3F808001))).isEqualTo(0x3F81);
    assertThat(PackedLinear.toBf16(Float.intBitsToFloat(0x3F807FFF))).isEqualTo(0x3F80);
    // the largest floats round to infinity; infinities and NaN keep their kind
    assertThat(PackedLinear.toBf16(Float.MAX_VALUE)).isEqualTo(0x7F80);
    assertThat(PackedLinear.toBf16(Float.NEGATIVE_INFINITY)).isEqualTo(0xFF80);
    assertThat(Float.isNaN(PackedLinear.fromBf16(PackedLinear.toBf16(Float.NaN)))).isTrue();
    assertThat(PackedLinear.fromBf16(0x3F81)).isEqualTo(1f + 1f / 128);
  }
}
