package org.eef4j.engine.model;

import org.eef4j.engine.kernel.VectorOps;
import org.eef4j.engine.kernel.WorkerPool;

/** RMSNorm over rows of width H: {@code y = x · rstd · w}, {@code rstd = 1/√(mean(x²) + eps)}. */
final class RmsNorm {

  private RmsNorm() {}

  /** y[T×H], rstd[T] (kept for backward) from x[T×H] and weight w[H] at {@code wOff}. */
  static void forward(float[] y, float[] rstd, float[] x, float[] w, int wOff, int tokens, int h, float eps) {
    WorkerPool.shared().parallelRange(tokens, 64, (t0, t1) -> {
      for (int t = t0; t < t1; t++) {
        float ms = VectorOps.sumSquares(x, t * h, h) / h;
        float r = (float) (1.0 / Math.sqrt(ms + eps));
        rstd[t] = r;
        VectorOps.mulScaled(y, t * h, x, t * h, w, wOff, r, h);
      }
    });
  }

  /** Tokens per partial weight-gradient sum: fixed, so that the sum's order does not depend on the thread count. */
  static final int DW_CHUNK = 64;

  /**
   * Backward: with {@code g = dy·w}, {@code dx += rstd·g − x·rstd³·(g·x)/H} and {@code dw += Σ_t dy·x·rstd}. Rows run
   * in parallel in chunks of {@link #DW_CHUNK} tokens; each chunk sums its dw into its own buffer and the buffers are
   * added in chunk order at the end, so that dw has the same bits with any number of threads. With {@code gw} null (a
   * frozen weight) only dx is computed.
   */
  static void backward(float[] dx, float[] gw, int wOff, float[] dy, float[] x, float[] w, float[] rstd, int tokens,
      int h) {
    int chunks = (tokens + DW_CHUNK - 1) / DW_CHUNK;
    int[] bounds = new int[chunks + 1];
    for (int c = 0; c <= chunks; c++) bounds[c] = Math.min(tokens, c * DW_CHUNK);
    backward(dx, gw, wOff, dy, x, w, rstd, bounds, chunks, h);
  }

  /**
   * {@link #backward} over rows gathered from a batch of {@code tokens} rows: row i stands for row {@code rows[i]}
   * (ascending), and the rows left out have dy = 0. The weight gradient is summed in the batch's own chunks (every
   * chunk, empty ones adding zero), so it has the bits the whole batch's backward gives it. {@code rows} null: the
   * batch itself ({@code count == tokens}).
   */
  static void backwardRows(float[] dx, float[] gw, int wOff, float[] dy, float[] x, float[] w, float[] rstd,
      int[] rows, int count, int tokens, int h) {
    if (rows == null) {
      backward(dx, gw, wOff, dy, x, w, rstd, count, h);
      return;
    }
    int chunks = (tokens + DW_CHUNK - 1) / DW_CHUNK;
    int[] bounds = new int[chunks + 1];
    int i = 0;
    for (int c = 0; c < chunks; c++) {
      bounds[c] = i;
      while (i < count && rows[i] < (c + 1) * DW_CHUNK) i++;
    }
    bounds[chunks] = i;
    backward(dx, gw, wOff, dy, x, w, rstd, bounds, chunks, h);
  }

  /** Rows [bounds[c], bounds[c + 1]) make chunk c of the weight gradient's sum. */
  private static void backward(float[] dx, float[] gw, int wOff, float[] dy, float[] x, float[] w, float[] rstd,
      int[] bounds, int chunks, int h) {
    float[][] partial = new float[gw == null ? 0 : chunks][h];
    WorkerPool.shared().parallelFor(chunks, c -> {
      float[] g = new float[h];
      float[] dwPart = gw == null ? null : partial[c];
      for (int t = bounds[c], end = bounds[c + 1]; t < end; t++) {
        int row = t * h;
        float r = rstd[t];
        VectorOps.mulScaled(g, 0, dy, row, w, wOff, 1f, h); // dy·1·w: the bits of dy·w
        float gx = VectorOps.dot(g, 0, x, row, h);
        float coef = -r * r * r * gx / h;
        VectorOps.axpy(r, g, 0, dx, row, h);
        VectorOps.axpy(coef, x, row, dx, row, h);
        if (dwPart != null) VectorOps.addMulScaled(dwPart, 0, dy, row, x, row, r, h);
      }
    });
    for (float[] p : partial) VectorOps.axpy(1f, p, 0, gw, wOff, h);
  }
}
