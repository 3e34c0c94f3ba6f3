package org.eef4j.engine.model;

import java.util.Arrays;
import org.eef4j.engine.kernel.Gemm;
import org.eef4j.engine.kernel.VectorOps;
import org.eef4j.engine.kernel.WorkerPool;

/**
 * Causal grouped-query self-attention over a batch of sequences. Shapes: q[B·S × heads·d], k and v[B·S × kvHeads·d]
 * (token-major, as the projections write them), probabilities p[B × heads × S × S], output ctx[B·S × heads·d]. Query
 * head h reads key/value head {@code h / (heads / kvHeads)} (transformers' repeat_interleave). Rows are processed in
 * blocks of {@link #BLOCK} so that the causal mask also skips the work above the diagonal.
 *
 * <p>Row i of p (and of backward's ds) is written only up to its block's end: every product reads a row within it
 * (backward's column block [j0, j0 + BLOCK) reads rows from j0 on, whose blocks end at or after j0 + BLOCK), so the
 * rest, a quarter to a half of p, is neither zeroed nor read.
 */
final class Attention {

  /** Rows per block; the products for a block only reach columns [0, block end). A multiple of the GEMM tile rows. */
  static final int BLOCK = 64;

  private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);
  private static final ThreadLocal<float[]> TRANSPOSED = ThreadLocal.withInitial(() -> new float[0]);

  private Attention() {}

  record Dims(int batch, int seq, int heads, int kvHeads, int headDim) {
    int qDim() {
      return heads * headDim;
    }

    int kvDim() {
      return kvHeads * headDim;
    }

    int group() {
      return heads / kvHeads;
    }
  }

  /** p = softmax(q·kᵀ/√d + causal mask) per (sequence, head); ctx = p·v. Parallel over (sequence, head) pairs. */
  static void forward(float[] ctx, float[] p, float[] q, float[] k, float[] v, Dims d) {
    int s = d.seq();
    int qd = d.qDim();
    int kvd = d.kvDim();
    float scale = (float) (1.0 / Math.sqrt(d.headDim()));
    WorkerPool.shared().parallelFor(d.batch() * d.heads(), task -> {
      int b = task / d.heads();
      int h = task % d.heads();
      int qOff = b * s * qd + h * d.headDim();
      int kvOff = b * s * kvd + (h / d.group()) * d.headDim();
      int pOff = task * s * s;
      float[] kT = transposed(k, kvOff, kvd, s, d.headDim());
      for (int i0 = 0; i0 < s; i0 += BLOCK) {
        int i1 = Math.min(s, i0 + BLOCK);
        // scores for rows [i0, i1) against keys [0, i1): later keys are masked anyway
        Gemm.gemmSerial(false, false, i1 - i0, i1, d.headDim(), q, qOff + i0 * qd, qd, kT, 0, s, p, pOff + i0 * s, s,
            false);
        for (int i = i0; i < i1; i++) {
          // softmax over the whole block width [0, i1) with the masked scores set to −∞ (exp gives 0): whole vectors
          // instead of a ragged scalar tail on every row
          int row = pOff + i * s;
          Arrays.fill(p, row + i + 1, row + i1, Float.NEGATIVE_INFINITY);
          VectorOps.scale(p, row, i1, scale);
          float max = VectorOps.max(p, row, i1);
          double sum = VectorOps.expShift(p, row, i1, max);
          VectorOps.scale(p, row, i1, (float) (1.0 / sum));
        }
        Gemm.gemmSerial(false, false, i1 - i0, d.headDim(), i1, p, pOff + i0 * s, s, v, kvOff, kvd, ctx,
            qOff + i0 * qd, qd, false);
      }
    });
  }

  /**
   * Backward: with dp = dctx·vᵀ and ds = p ⊙ (dp − Σ_j p·dp)/√d, {@code dq = ds·k}, {@code dk = dsᵀ·q},
   * {@code dv = pᵀ·dctx}. dq, dk, dv are overwritten. Parallel over (sequence, key/value head): the query heads that share
   * a key/value head run in one task, so their dk/dv sums never race.
   */
  static void backward(float[] dq, float[] dk, float[] dv, float[] dctx, float[] p, float[] q, float[] k, float[] v,
      Dims d) {
    int s = d.seq();
    int qd = d.qDim();
    int kvd = d.kvDim();
    int hd = d.headDim();
    float scale = (float) (1.0 / Math.sqrt(hd));
    WorkerPool.shared().parallelFor(d.batch() * d.kvHeads(), task -> {
      int b = task / d.kvHeads();
      int g = task % d.kvHeads();
      int kvOff = b * s * kvd + g * hd;
      for (int t = 0; t < s; t++) {
        Arrays.fill(dk, kvOff + t * kvd, kvOff + t * kvd + hd, 0f);
        Arrays.fill(dv, kvOff + t * kvd, kvOff + t * kvd + hd, 0f);
      }
      float[] ds = SCRATCH.get();
      if (ds.length < s * s) {
        ds = new float[s * s];
        SCRATCH.set(ds);
      }
      float[] vT = transposed(v, kvOff, kvd, s, hd);
      for (int h = g * d.group(); h < (g + 1) * d.group(); h++) {
        int qOff = b * s * qd + h * hd;
        int pOff = (b * d.heads() + h) * s * s;
        // dv[j] += Σ_{i ≥ j} p[i][j]·dctx[i], by column blocks of p
        for (int j0 = 0; j0 < s; j0 += BLOCK) {
          int j1 = Math.min(s, j0 + BLOCK);
          Gemm.gemmSerial(true, false, j1 - j0, hd, s - j0, p, pOff + j0 * s + j0, s, dctx, qOff + j0 * qd, qd, dv,
              kvOff + j0 * kvd, kvd, true);
        }
        // ds = p ⊙ (dctx·vᵀ − rowdot) · scale, rows by blocks, columns up to the diagonal
        for (int i0 = 0; i0 < s; i0 += BLOCK) {
          int i1 = Math.min(s, i0 + BLOCK);
          Gemm.gemmSerial(false, false, i1 - i0, i1, hd, dctx, qOff + i0 * qd, qd, vT, 0, s, ds, i0 * s, s, false);
          for (int i = i0; i < i1; i++) {
            int row = i * s;
            float dot = VectorOps.dot(p, pOff + row, ds, row, i + 1);
            for (int j = 0; j <= i; j++) ds[row + j] = p[pOff + row + j] * (ds[row + j] - dot) * scale;
            Arrays.fill(ds, row + i + 1, row + i1, 0f);
          }
          // dq[rows] = ds[rows, 0..i1)·k[0..i1)
          Gemm.gemmSerial(false, false, i1 - i0, hd, i1, ds, i0 * s, s, k, kvOff, kvd, dq, qOff + i0 * qd, qd, false);
        }
        // dk[j] += Σ_{i ≥ j} ds[i][j]·q[i]
        for (int j0 = 0; j0 < s; j0 += BLOCK) {
          int j1 = Math.min(s, j0 + BLOCK);
          Gemm.gemmSerial(true, false, j1 - j0, hd, s - j0, ds, j0 * s + j0, s, q, qOff + j0 * qd, qd, dk,
              kvOff + j0 * kvd, kvd, true);
        }
      }
    });
  }

  /**
   * One head's keys (or values) {@code x[t][c]} (rows {@code ld} apart from {@code off}, {@code seq} × {@code hd})
   * transposed into this thread's scratch, {@code xT[c·seq + t]}. Why: the score products read keys as a transposed B,
   * which the GEMM packs element by element once per row block, and the row blocks share the keys; transposed once
   * per task, they are packed with vector copies. Same bits: a product's terms and their order do not depend on how B
   * is stored.
   */
  private static float[] transposed(float[] x, int off, int ld, int seq, int hd) {
    float[] xT = TRANSPOSED.get();
    if (xT.length < seq * hd) {
      xT = new float[seq * hd];
      TRANSPOSED.set(xT);
    }
    for (int c = 0; c < hd; c++) {
      for (int t = 0, src = off + c, dst = c * seq; t < seq; t++, src += ld, dst++) xT[dst] = x[src];
    }
    return xT;
  }
}
