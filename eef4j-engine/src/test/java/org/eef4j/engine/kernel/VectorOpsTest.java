package org.eef4j.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each vector body against its scalar twin over awkward lengths, at an offset so that slices do not start aligned. The
 * twins perform the same operations in the same order (sums over 32 virtual lanes in a fixed tree), so the bits must be
 * equal, not close: that is what makes a run's results independent of the vector width (the same tests pass under
 * {@code -Deef4j.vector.bits=128} and {@code 256}). Each twin is also checked against a double-precision definition.
 */
class VectorOpsTest {

  private static final int OFF = 3;

  private static float[] random(SplittableRandom r, int n, double lo, double hi) {
    float[] x = new float[n + OFF];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(lo, hi);
    return x;
  }

  private static float tol(int n) {
    return 1e-6f * (float) Math.sqrt(n) * 4;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 13, 31, 32, 33, 207, 4098})
  void reductionsGiveTheBitsOfTheirTwins(int n) {
    SplittableRandom r = new SplittableRandom(n);
    float[] a = random(r, n, -1, 1);
    float[] b = random(r, n, -1, 1);
    double dot = 0;
    double sum = 0;
    for (int i = OFF; i < n + OFF; i++) {
      dot += (double) a[i] * b[i];
      sum += a[i];
    }
    assertThat(VectorOps.dotScalar(a, OFF, b, OFF, n)).isCloseTo((float) dot, offset(tol(n) * (float) Math.sqrt(n)));
    assertThat(bits(VectorOps.dotVector(a, OFF, b, OFF, n))).isEqualTo(bits(VectorOps.dotScalar(a, OFF, b, OFF, n)));
    assertThat(VectorOps.sumScalar(a, OFF, n)).isCloseTo((float) sum, offset(tol(n) * (float) Math.sqrt(n)));
    assertThat(bits(VectorOps.sumVector(a, OFF, n))).isEqualTo(bits(VectorOps.sumScalar(a, OFF, n)));
    assertThat(VectorOps.maxVector(a, OFF, n)).isEqualTo(VectorOps.maxScalar(a, OFF, n));
    float[] e1 = a.clone();
    float[] e2 = a.clone();
    double s1 = VectorOps.expShiftVector(e1, OFF, n, 0.5f);
    double s2 = VectorOps.expShiftScalar(e2, OFF, n, 0.5f);
    double want = 0;
    for (int i = OFF; i < n + OFF; i++) want += Math.exp(a[i] - 0.5);
    assertThat(s2).isCloseTo(want, offset((double) tol(n) * n));
    assertThat(s1).isEqualTo(s2);
    assertThat(e1).isEqualTo(e2);
    assertThat(VectorOps.sumExpVector(a, OFF, n, 0.5f)).isEqualTo(s1);
    assertThat(VectorOps.sumExpScalar(a, OFF, n, 0.5f)).isEqualTo(s1);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 13, 207, 4098})
  void elementwiseKernelsGiveTheBitsOfTheirTwins(int n) {
    SplittableRandom r = new SplittableRandom(7L * n);
    float[] x = random(r, n, -3, 3);
    float[] w = random(r, n, -3, 3);
    float[] y1 = random(r, n, -1, 1);
    float[] y2 = y1.clone();
    float[] y0 = y1.clone();
    VectorOps.axpyVector(0.37f, x, OFF, y1, OFF, n);
    VectorOps.axpyScalar(0.37f, x, OFF, y2, OFF, n);
    assertThat(y1).isEqualTo(y2);
    for (int i = 0; i < n + OFF; i++) {
      float want = i < OFF ? y0[i] : (float) (y0[i] + 0.37 * x[i]);
      assertThat(y2[i]).isCloseTo(want, offset(1e-6f * Math.max(1f, Math.abs(want))));
    }
    VectorOps.scaleVector(y1, OFF, n, -1.5f);
    VectorOps.scaleScalar(y2, OFF, n, -1.5f);
    assertThat(y1).isEqualTo(y2);
    VectorOps.mulScaledVector(y1, OFF, x, OFF, w, OFF, 0.25f, n);
    VectorOps.mulScaledScalar(y2, OFF, x, OFF, w, OFF, 0.25f, n);
    assertThat(y1).isEqualTo(y2);
    VectorOps.swiGluVector(y1, OFF, x, OFF, w, OFF, n);
    VectorOps.swiGluScalar(y2, OFF, x, OFF, w, OFF, n);
    assertThat(y1).isEqualTo(y2);
    for (int i = OFF; i < n + OFF; i++) {
      double want = x[i] / (1 + Math.exp(-x[i])) * w[i];
      assertThat((double) y2[i]).isCloseTo(want, offset(2e-6 * Math.max(1, Math.abs(want))));
    }
    float[] d = random(r, n, -1, 1);
    float[] dg1 = random(r, n, -1, 1);
    float[] dg2 = dg1.clone();
    float[] du1 = random(r, n, -1, 1);
    float[] du2 = du1.clone();
    float[] dg0 = dg1.clone();
    float[] du0 = du1.clone();
    VectorOps.swiGluBackwardVector(dg1, OFF, du1, OFF, d, OFF, x, OFF, w, OFF, n);
    VectorOps.swiGluBackwardScalar(dg2, OFF, du2, OFF, d, OFF, x, OFF, w, OFF, n);
    assertThat(dg1).isEqualTo(dg2);
    assertThat(du1).isEqualTo(du2);
    for (int i = OFF; i < n + OFF; i++) {
      double sig = 1 / (1 + Math.exp(-x[i]));
      double wantDg = dg0[i] + d[i] * w[i] * sig * (1 + x[i] * (1 - sig));
      double wantDu = du0[i] + d[i] * x[i] * sig;
      assertThat((double) dg2[i]).isCloseTo(wantDg, offset(4e-6 * Math.max(1, Math.abs(wantDg))));
      assertThat((double) du2[i]).isCloseTo(wantDu, offset(4e-6 * Math.max(1, Math.abs(wantDu))));
    }
    float[] g1 = random(r, n, -1, 1);
    float[] g2 = g1.clone();
    float[] g0 = g1.clone();
    float[] o1 = random(r, n, -1, 1);
    float[] o2 = o1.clone();
    float[] o0 = o1.clone();
    VectorOps.addMulScaledVector(o1, OFF, x, OFF, w, OFF, 0.7f, n);
    VectorOps.addMulScaledScalar(o2, OFF, x, OFF, w, OFF, 0.7f, n);
    assertThat(o1).isEqualTo(o2);
    for (int i = 0; i < n + OFF; i++) {
      double want = i < OFF ? o0[i] : o0[i] + x[i] * w[i] * 0.7;
      assertThat((double) o2[i]).isCloseTo(want, offset(4e-6 * Math.max(1, Math.abs(want))));
    }
    // pairs (x[i], x[i + half]) of one row rotated by angles whose cos and sin are in w's two halves' slots
    int half = (n + 1) / 2;
    float[] pairs = random(r, 2 * half + OFF, -2, 2);
    float[] cos = random(r, half + OFF, -1, 1);
    float[] sin = random(r, half + OFF, -1, 1);
    for (float sign : new float[] {1f, -1f}) {
      float[] r1 = pairs.clone();
      float[] r2 = pairs.clone();
      VectorOps.rotateVector(r1, OFF, OFF + half, cos, sin, OFF, sign, half);
      VectorOps.rotateScalar(r2, OFF, OFF + half, cos, sin, OFF, sign, half);
      assertThat(r1).isEqualTo(r2);
      for (int i = OFF; i < OFF + half; i++) {
        double a = pairs[i];
        double b = pairs[i + half];
        assertThat((double) r2[i]).isCloseTo(a * cos[i] - b * sign * sin[i], offset(1e-5));
        assertThat((double) r2[i + half]).isCloseTo(b * cos[i] + a * sign * sin[i], offset(1e-5));
      }
    }
    VectorOps.softmaxGradVector(x, OFF, g1, OFF, n, 0.3f, 0.125f);
    VectorOps.softmaxGradScalar(x, OFF, g2, OFF, n, 0.3f, 0.125f);
    assertThat(g1).isEqualTo(g2);
    for (int i = 0; i < n + OFF; i++) {
      double want = i < OFF ? g0[i] : x[i] * (g0[i] - 0.3) * 0.125;
      assertThat((double) g2[i]).isCloseTo(want, offset(1e-6 * Math.max(1, Math.abs(want))));
    }
  }

  private static int bits(float f) {
    return Float.floatToRawIntBits(f);
  }

  @Test
  void expIsWithinTwoUlpOfMathExpAndKeepsItsLimits() {
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 200_000; i++) {
      float x = (float) r.nextDouble(-87.33, 88.37);
      double want = Math.exp(x);
      assertThat((double) VectorOps.exp(x)).as("e^%s", x).isCloseTo(want, offset(2.0 * Math.ulp((float) want)));
    }
    assertThat(VectorOps.exp(0f)).isEqualTo(1f);
    assertThat(VectorOps.exp(-87.3f)).isPositive().isCloseTo((float) Math.exp(-87.3f), offset(2 * Math.ulp(1e-38f)));
    assertThat(VectorOps.exp(-87.34f)).as("below the normal floats").isZero();
    assertThat(VectorOps.exp(-200f)).isZero();
    assertThat(VectorOps.exp(Float.NEGATIVE_INFINITY)).as("a masked score").isZero();
    float top = VectorOps.exp(88.37f);
    assertThat(top).isCloseTo((float) Math.exp(88.37f), offset(2 * Math.ulp(top)));
    assertThat(VectorOps.exp(89f)).as("saturates").isEqualTo(top);
    assertThat(VectorOps.exp(Float.POSITIVE_INFINITY)).isEqualTo(top);
    assertThat(VectorOps.exp(Float.NaN)).isNaN();
    float[] x = new float[Lanes.SPECIES.length()];
    java.util.Arrays.fill(x, Float.NaN);
    float[] got = new float[x.length];
    VectorOps.exp(FloatVector.fromArray(Lanes.SPECIES, x, 0)).intoArray(got, 0);
    assertThat(got[0]).isNaN();
  }

  /**
   * The property exact resume rests on: the vector exp and lane-ordered sums give the bits of their scalar forms, in
   * whatever mode the JIT runs them. The loop is long enough for C2 to compile the kernels part-way, so a kernel whose
   * compiled form rounds differently (as {@code lanewise(EXP)} and {@code reduceLanes(ADD)} do) fails here.
   */
  @Test
  void vectorExpAndSumsGiveTheBitsOfTheirScalarFormsInterpretedAndCompiled() {
    int l = Lanes.SPECIES.length();
    SplittableRandom r = new SplittableRandom(11);
    float[] x = new float[l];
    float[] got = new float[l];
    for (int round = 0; round < 30_000; round++) {
      for (int j = 0; j < l; j++) x[j] = (float) r.nextDouble(-100, 100);
      FloatVector v = FloatVector.fromArray(Lanes.SPECIES, x, 0);
      VectorOps.exp(v).intoArray(got, 0);
      for (int j = 0; j < l; j++) {
        assertThat(Float.floatToRawIntBits(got[j])).as("round %d, e^%s", round, x[j])
            .isEqualTo(Float.floatToRawIntBits(VectorOps.exp(x[j])));
      }
      assertThat(VectorOps.sumLanes(v)).isEqualTo(treeSum(x));
    }
  }

  /** The sum {@link VectorOps#sumLanes} defines: lane i adds lane i + w (mod lanes) for w = lanes/2, ..., 1. */
  private static float treeSum(float[] lanes) {
    float[] a = lanes.clone();
    for (int w = a.length / 2; w >= 1; w /= 2) {
      float[] next = new float[a.length];
      for (int i = 0; i < a.length; i++) next[i] = a[i] + a[(i + w) % a.length];
      a = next;
    }
    return a[0];
  }
}
