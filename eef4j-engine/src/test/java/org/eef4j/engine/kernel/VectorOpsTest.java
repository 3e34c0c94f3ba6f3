package org.eef4j.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each vector body against its scalar twin over awkward lengths, at an offset so that slices do not start aligned.
 * Reductions sum in a different order, so their tolerance grows with the length (√n · float epsilon · magnitude).
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
  @ValueSource(ints = {1, 13, 207, 4098})
  void reductionsMatchTheirTwins(int n) {
    SplittableRandom r = new SplittableRandom(n);
    float[] a = random(r, n, -1, 1);
    float[] b = random(r, n, -1, 1);
    float mag = (float) Math.sqrt(n);
    assertThat(VectorOps.dotVector(a, OFF, b, OFF, n)).isCloseTo(VectorOps.dotScalar(a, OFF, b, OFF, n),
        offset(tol(n) * mag));
    assertThat(VectorOps.maxVector(a, OFF, n)).isEqualTo(VectorOps.maxScalar(a, OFF, n));
    float[] e1 = a.clone();
    float[] e2 = a.clone();
    double s1 = VectorOps.expShiftVector(e1, OFF, n, 0.5f);
    double s2 = VectorOps.expShiftScalar(e2, OFF, n, 0.5f);
    assertThat(s1).isCloseTo(s2, offset((double) tol(n) * n));
    for (int i = 0; i < e1.length; i++) assertThat(e1[i]).isCloseTo(e2[i], offset(4e-7f * Math.max(1, e2[i])));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 13, 207, 4098})
  void elementwiseKernelsMatchTheirTwins(int n) {
    SplittableRandom r = new SplittableRandom(7L * n);
    float[] x = random(r, n, -3, 3);
    float[] w = random(r, n, -3, 3);
    float[] y1 = random(r, n, -1, 1);
    float[] y2 = y1.clone();
    VectorOps.axpyVector(0.37f, x, OFF, y1, OFF, n);
    VectorOps.axpyScalar(0.37f, x, OFF, y2, OFF, n);
    assertClose(y1, y2, 1e-6f);
    VectorOps.scaleVector(y1, OFF, n, -1.5f);
    VectorOps.scaleScalar(y2, OFF, n, -1.5f);
    assertClose(y1, y2, 1e-6f);
    VectorOps.mulScaledVector(y1, OFF, x, OFF, w, OFF, 0.25f, n);
    VectorOps.mulScaledScalar(y2, OFF, x, OFF, w, OFF, 0.25f, n);
    assertClose(y1, y2, 1e-6f);
    VectorOps.swiGluVector(y1, OFF, x, OFF, w, OFF, n);
    VectorOps.swiGluScalar(y2, OFF, x, OFF, w, OFF, n);
    assertClose(y1, y2, 2e-6f);
    float[] d = random(r, n, -1, 1);
    float[] dg1 = random(r, n, -1, 1);
    float[] dg2 = dg1.clone();
    float[] du1 = random(r, n, -1, 1);
    float[] du2 = du1.clone();
    VectorOps.swiGluBackwardVector(dg1, OFF, du1, OFF, d, OFF, x, OFF, w, OFF, n);
    VectorOps.swiGluBackwardScalar(dg2, OFF, du2, OFF, d, OFF, x, OFF, w, OFF, n);
    assertClose(dg1, dg2, 2e-6f);
    assertClose(du1, du2, 2e-6f);
  }

  private static void assertClose(float[] got, float[] want, float relTol) {
    for (int i = 0; i < want.length; i++) {
      assertThat(got[i]).as("element %d", i).isCloseTo(want[i], offset(relTol * Math.max(1f, Math.abs(want[i]))));
    }
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
    float[] x = new float[FloatVector.SPECIES_PREFERRED.length()];
    java.util.Arrays.fill(x, Float.NaN);
    float[] got = new float[x.length];
    VectorOps.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, 0)).intoArray(got, 0);
    assertThat(got[0]).isNaN();
  }

  /**
   * The property exact resume rests on: the vector exp and lane-ordered sums give the bits of their scalar forms, in
   * whatever mode the JIT runs them. The loop is long enough for C2 to compile the kernels part-way, so a kernel whose
   * compiled form rounds differently (as {@code lanewise(EXP)} and {@code reduceLanes(ADD)} do) fails here.
   */
  @Test
  void vectorExpAndSumsGiveTheBitsOfTheirScalarFormsInterpretedAndCompiled() {
    int l = FloatVector.SPECIES_PREFERRED.length();
    SplittableRandom r = new SplittableRandom(11);
    float[] x = new float[l];
    float[] got = new float[l];
    for (int round = 0; round < 30_000; round++) {
      for (int j = 0; j < l; j++) x[j] = (float) r.nextDouble(-100, 100);
      FloatVector v = FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, 0);
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
