package org.eef4j.engine.model;

import org.eef4j.engine.kernel.Gemm;
import org.eef4j.engine.kernel.GemmBlocks;
import org.eef4j.engine.kernel.VectorOps;

/**
 * A linear layer in Hugging Face's layout: weight {@code W[out×in]} (row per output), optional bias {@code b[out]}.
 * Weights and gradients are addressed by offset into the flat parameter/gradient arrays.
 */
final class Linear {

  private Linear() {}

  /**
   * {@code y[T×out] (+)= x[T×in]·Wᵀ + b}. With {@code accumulate} the product is added to what y holds (a residual add).
   *
   * @param bOff the bias offset in {@code w}, or -1 for none
   */
  static void forward(float[] y, float[] x, float[] w, int wOff, int bOff, int tokens, int in, int out,
      boolean accumulate) {
    if (bOff >= 0) {
      for (int t = 0; t < tokens; t++) {
        if (accumulate) VectorOps.axpy(1f, w, bOff, y, t * out, out);
        else System.arraycopy(w, bOff, y, t * out, out);
      }
      accumulate = true;
    }
    Gemm.gemm(false, true, tokens, out, in, x, 0, in, w, wOff, in, y, 0, out, accumulate);
  }

  /**
   * Backward of {@link #forward}: {@code dx[T×in] (+)= dy[T×out]·W}, {@code dW[out×in] += dyᵀ·x}, {@code db += Σ_t dy}.
   *
   * @param dx the input gradient, or null when the input needs none
   * @param accumulateDx add to dx (several layers read the same input) rather than overwrite it
   * @param g the gradient array, laid out like {@code w}, or null when the weights are frozen (dx only)
   */
  static void backward(float[] dx, boolean accumulateDx, float[] g, int wOff, int bOff, float[] dy, float[] x,
      float[] w, int tokens, int in, int out) {
    if (dx != null) Gemm.gemm(false, false, tokens, in, out, dy, 0, out, w, wOff, in, dx, 0, in, accumulateDx);
    if (g == null) return;
    Gemm.gemm(true, false, out, in, tokens, dy, 0, out, x, 0, in, g, wOff, in, true);
    if (bOff >= 0) {
      for (int t = 0; t < tokens; t++) VectorOps.axpy(1f, dy, t * out, g, bOff, out);
    }
  }

  /**
   * {@link #backward} over rows gathered from a batch of {@code tokens} rows: row i of dy, x and dx stands for row
   * {@code rows[i]} (ascending), and the rows left out have dy = 0. The weight gradient runs as one accumulating
   * product per k block of the batch's rows, over the rows that block holds ({@link GemmBlocks}), so it has the bits
   * the whole batch's product gives it, and costs only the counted rows. {@code rows} null: the batch itself
   * ({@code count == tokens}).
   */
  static void backwardRows(float[] dx, boolean accumulateDx, float[] g, int wOff, int bOff, float[] dy, float[] x,
      float[] w, int count, int in, int out, int[] rows, int tokens) {
    if (rows == null) {
      backward(dx, accumulateDx, g, wOff, bOff, dy, x, w, count, in, out);
      return;
    }
    if (dx != null) Gemm.gemm(false, false, count, in, out, dy, 0, out, w, wOff, in, dx, 0, in, accumulateDx);
    if (g == null) return;
    int block = GemmBlocks.depth();
    for (int lo = 0; lo < count; ) {
      int blockEnd = (rows[lo] / block + 1) * block;
      int hi = lo;
      while (hi < count && rows[hi] < blockEnd) hi++;
      Gemm.gemm(true, false, out, in, hi - lo, dy, lo * out, out, x, lo * in, in, g, wOff, in, true);
      lo = hi;
    }
    if (bOff >= 0) {
      for (int i = 0; i < count; i++) VectorOps.axpy(1f, dy, i * out, g, bOff, out);
    }
  }
}
