package org.eef4j.engine.model;

import org.eef4j.engine.kernel.Gemm;
import org.eef4j.engine.kernel.GemmBlocks;
import org.eef4j.engine.kernel.VectorOps;
import org.eef4j.engine.kernel.WorkerPool;

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
    weightGradient(g, wOff, dy, x, tokens, in, out);
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

  /** The most floats {@link #weightGradient} transposes (64 MB). */
  private static final long MAX_TRANSPOSED = 16L << 20;

  /** Rows of dy at most, transposed for {@link #weightGradient}, per thread. */
  private static final ThreadLocal<float[]> TRANSPOSED = ThreadLocal.withInitial(() -> new float[0]);

  /**
   * {@code dW[out×in] += dyᵀ·x}, with dyᵀ written out once and read in place. Why not Gemm's transposed A: Gemm packs a
   * transposed A for every task that uses it, and a weight gradient's few rows (out) are shared by 2 to 4 tasks per k
   * block, so its packing cost as much as its multiply-adds (the demo's profile). The product's sums are the same:
   * Gemm's order depends on k alone, never on how A is stored.
   */
  static void weightGradient(float[] g, int wOff, float[] dy, float[] x, int tokens, int in, int out) {
    // rows of dyᵀ padded past a multiple of 4 KB, so that the kernel's MR rows do not share one L1 set
    int ld = tokens + 16;
    if ((long) out * ld > MAX_TRANSPOSED) { // a large vocabulary's head: not worth its memory
      Gemm.gemm(true, false, out, in, tokens, dy, 0, out, x, 0, in, g, wOff, in, true);
      return;
    }
    float[] t = TRANSPOSED.get();
    if (t.length < out * ld) {
      t = new float[out * ld];
      TRANSPOSED.set(t);
    }
    float[] dyT = t;
    int tile = 32;
    WorkerPool.shared().parallelRange((tokens + tile - 1) / tile, 4, (b0, b1) -> {
      for (int r0 = b0 * tile; r0 < Math.min(tokens, b1 * tile); r0 += tile) {
        int r1 = Math.min(tokens, r0 + tile);
        for (int c0 = 0; c0 < out; c0 += tile) {
          int c1 = Math.min(out, c0 + tile);
          for (int r = r0; r < r1; r++) {
            for (int c = c0; c < c1; c++) dyT[c * ld + r] = dy[r * out + c];
          }
        }
      }
    });
    Gemm.gemm(false, false, out, in, tokens, dyT, 0, ld, x, 0, in, g, wOff, in, true);
  }
}
