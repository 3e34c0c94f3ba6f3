package org.eef4j.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * Checks an analytic gradient against central differences of the loss at sampled weights: each sampled
 * {@code |numeric − g[i]|} within {@code 2e-3·max|g| + 2e-4}, the gradient not vanishing, and enough sampled weights
 * with a sizeable gradient that the check means something.
 *
 * @param samples weights sampled (with replacement, seeded)
 * @param h the step; truncation O(h²) and float rounding O(1e-7·|L|/h) must both stay below the tolerance
 * @param sizeable a gradient counts as sizeable above this share of the largest
 * @param atLeast the sampled weights with a sizeable gradient must outnumber this
 */
public record FiniteDifferences(int samples, float h, long seed, double sizeable, int atLeast) {

  public void check(String what, float[] w, float[] g, DoubleSupplier loss) {
    double max = 0;
    for (float x : g) max = Math.max(max, Math.abs(x));
    assertThat(max).as(what + " gradient").isGreaterThan(1e-3);
    SplittableRandom rnd = new SplittableRandom(seed);
    int large = 0;
    for (int s = 0; s < samples; s++) {
      int i = rnd.nextInt(w.length);
      float keep = w[i];
      w[i] = keep + h;
      double up = loss.getAsDouble();
      w[i] = keep - h;
      double down = loss.getAsDouble();
      w[i] = keep;
      double numeric = (up - down) / (2 * h);
      assertThat(Math.abs(numeric - g[i])).as("%s[%d]: numeric %s analytic %s", what, i, numeric, g[i])
          .isLessThanOrEqualTo(2e-3 * max + 2e-4);
      if (Math.abs(g[i]) > sizeable * max) large++;
    }
    assertThat(large).as(what + ": sampled weights with a sizeable gradient").isGreaterThan(atLeast);
  }
}
