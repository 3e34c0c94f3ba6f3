package org.eef4j.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JIT-independent inference ops against their definitions, over awkward sizes. */
class InferenceOpsTest {

  static float[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n + 3];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(-4, 4);
    return x;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 13, 207, 4098})
  void sumSquaresMatchesThePlainLoop(int n) {
    float[] x = random(n, n);
    double want = 0;
    for (int i = 3; i < n + 3; i++) want += (double) x[i] * x[i];
    assertThat((double) InferenceOps.sumSquares(x, 3, n)).isCloseTo(want, within(want * 1e-6 * Math.sqrt(n)));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 13, 207, 4098})
  void softmaxAndSwiGluFollowTheirDefinitions(int n) {
    float[] x = random(n, 7 * n);
    float[] p = x.clone();
    InferenceOps.softmax(p, 3, n, 0.5f);
    double z = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 3; i < n + 3; i++) max = Math.max(max, 0.5 * x[i]);
    for (int i = 3; i < n + 3; i++) z += Math.exp(0.5 * x[i] - max);
    for (int i = 3; i < n + 3; i++) {
      assertThat((double) p[i]).isCloseTo(Math.exp(0.5 * x[i] - max) / z, within(1e-6));
    }
    assertThat(p[0]).isEqualTo(x[0]);

    float[] u = random(n, 11 * n);
    float[] out = new float[n + 3];
    InferenceOps.swiGlu(out, x, u, 3, n);
    for (int i = 3; i < n + 3; i++) {
      double silu = x[i] / (1 + Math.exp(-x[i]));
      assertThat((double) out[i]).isCloseTo(silu * u[i], within(1e-5 * (1 + Math.abs(silu * u[i]))));
    }
    assertThat(out[0]).isZero();
  }
}
