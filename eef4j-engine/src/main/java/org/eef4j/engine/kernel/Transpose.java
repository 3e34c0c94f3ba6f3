package org.eef4j.engine.kernel;

/** The transposed copy that Gemm's packing of a transposed A and attention's per-head transposes share. */
public final class Transpose {

  private Transpose() {}

  /**
   * {@code dst[dstOff + c·dstLd + r] = src[srcOff + r·srcLd + c]} for {@code r < rows}, {@code c < cols}. Eight source
   * rows are read side by side, so each pass over the columns writes eight adjacent floats of every destination row:
   * one float per pass, its stores a destination row apart, ran 1.13-1.5x slower when packing the weight gradient's
   * transposed A. A copy, so it changes no bits.
   */
  public static void copy(float[] src, int srcOff, int srcLd, int rows, int cols, float[] dst, int dstOff, int dstLd) {
    int r8 = rows / 8 * 8;
    for (int r = 0; r < r8; r += 8) {
      int from = srcOff + r * srcLd;
      for (int c = 0; c < cols; c++) {
        int at = from + c;
        int to = dstOff + c * dstLd + r;
        dst[to] = src[at];
        dst[to + 1] = src[at + srcLd];
        dst[to + 2] = src[at + 2 * srcLd];
        dst[to + 3] = src[at + 3 * srcLd];
        dst[to + 4] = src[at + 4 * srcLd];
        dst[to + 5] = src[at + 5 * srcLd];
        dst[to + 6] = src[at + 6 * srcLd];
        dst[to + 7] = src[at + 7 * srcLd];
      }
    }
    for (int r = r8; r < rows; r++) {
      for (int c = 0; c < cols; c++) dst[dstOff + c * dstLd + r] = src[srcOff + r * srcLd + c];
    }
  }
}
