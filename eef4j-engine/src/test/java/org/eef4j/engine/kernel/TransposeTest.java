package org.eef4j.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransposeTest {

  @Test
  void everyElementLandsAtItsTransposedPlaceAndNothingElseIsWritten() {
    SplittableRandom random = new SplittableRandom(7);
    for (int rows : new int[] {1, 7, 8, 9, 16, 23}) {
      for (int cols : new int[] {1, 5, 8, 13}) {
        int srcOff = 3, srcLd = cols + 2, dstOff = 5, dstLd = rows + 4;
        float[] src = new float[srcOff + rows * srcLd];
        for (int i = 0; i < src.length; i++) src[i] = (float) random.nextDouble();
        float[] dst = new float[dstOff + cols * dstLd + 3];
        java.util.Arrays.fill(dst, -1f);

        Transpose.copy(src, srcOff, srcLd, rows, cols, dst, dstOff, dstLd);

        float[] expected = new float[dst.length];
        java.util.Arrays.fill(expected, -1f);
        for (int r = 0; r < rows; r++) {
          for (int c = 0; c < cols; c++) expected[dstOff + c * dstLd + r] = src[srcOff + r * srcLd + c];
        }
        assertThat(dst).as("%d x %d", rows, cols).containsExactly(expected);
      }
    }
  }
}
