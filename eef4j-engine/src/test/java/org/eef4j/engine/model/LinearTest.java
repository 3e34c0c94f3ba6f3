package org.eef4j.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.eef4j.engine.kernel.Gemm;
import org.junit.jupiter.api.Test;

class LinearTest {

  private static float[] random(int n, Random r) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
    return a;
  }

  @Test
  void weightGradientThroughTheTransposedCopyHasGemmsBits() {
    Random r = new Random(5);
    // 600 tokens: three of Gemm's k blocks, the last one ragged; 37 and 50: no whole tile
    for (int[] shape : new int[][] {{600, 50, 37}, {64, 128, 352}, {1, 3, 2}}) {
      int tokens = shape[0];
      int in = shape[1];
      int out = shape[2];
      float[] dy = random(tokens * out, r);
      float[] x = random(tokens * in, r);
      float[] start = random(7 + out * in, r);
      float[] expected = start.clone();
      Gemm.gemm(true, false, out, in, tokens, dy, 0, out, x, 0, in, expected, 7, in, true);
      float[] actual = start.clone();
      Linear.weightGradient(actual, 7, dy, x, tokens, in, out);
      assertThat(actual).as("%d×%d×%d", out, in, tokens).containsExactly(expected);
    }
  }
}
