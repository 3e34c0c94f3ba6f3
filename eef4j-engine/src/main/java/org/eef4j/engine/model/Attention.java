package org.eef4j.engine.model;

import java.util.Arrays;
import org.eef4j.engine.kernel.Gemm;
import org.eef4j.engine.kernel.Transpose;
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
      for (int i0 = 0; i0 < s; i0 += BLOCK) {
        int i1 = Math.min(s, i0 + BLOCK);
        // scores for rows [i0, i1) against keys [0, i1): later keys are masked anyway
        Gemm.gemmSerial(false, true, i1 - i0, i1, d.headDim(), q, qOff + i0 * qd, qd, k, kvOff, kvd, p,
            pOff + i0 * s, s, false);
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
   *
   * <p>dv and dk are computed transposed, {@code dvᵀ = dctxᵀ·p} and {@code dkᵀ = qᵀ·ds}, with dctx and q transposed
   * once per head: as written above, p and ds are the transposed left operand, which the GEMM packs element by element
   * (it took longer than the products' multiply-adds), while as the right operand it packs them with vector copies.
   * Same bits: each output is the same chain of products (a·b = b·a exactly inside an FMA) over the same rows in the
   * same order, and dvᵀ, dkᵀ accumulate the heads in the order dv, dk did.
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
      Scratch sc = Scratch.of(s, hd);
      float[] ds = sc.ds;
      Arrays.fill(sc.dvT, 0, hd * s, 0f);
      Arrays.fill(sc.dkT, 0, hd * s, 0f);
      transpose(v, kvOff, kvd, s, hd, sc.vT);
      for (int h = g * d.group(); h < (g + 1) * d.group(); h++) {
        int qOff = b * s * qd + h * hd;
        int pOff = (b * d.heads() + h) * s * s;
        transpose(dctx, qOff, qd, s, hd, sc.dctxT);
        transpose(q, qOff, qd, s, hd, sc.qT);
        // dvᵀ[:, j] += Σ_{i ≥ j} dctxᵀ[:, i]·p[i][j], by column blocks of p
        for (int j0 = 0; j0 < s; j0 += BLOCK) {
          int j1 = Math.min(s, j0 + BLOCK);
          Gemm.gemmSerial(false, false, hd, j1 - j0, s - j0, sc.dctxT, j0, s, p, pOff + j0 * s + j0, s, sc.dvT, j0, s,
              true);
        }
        // ds = p ⊙ (dctx·vᵀ − rowdot) · scale, rows by blocks, columns up to the diagonal
        for (int i0 = 0; i0 < s; i0 += BLOCK) {
          int i1 = Math.min(s, i0 + BLOCK);
          Gemm.gemmSerial(false, false, i1 - i0, i1, hd, dctx, qOff + i0 * qd, qd, sc.vT, 0, s, ds, i0 * s, s, false);
          for (int i = i0; i < i1; i++) {
            int row = i * s;
            float dot = VectorOps.dot(p, pOff + row, ds, row, i + 1);
            VectorOps.softmaxGrad(p, pOff + row, ds, row, i + 1, dot, scale);
            Arrays.fill(ds, row + i + 1, row + i1, 0f);
          }
          // dq[rows] = ds[rows, 0..i1)·k[0..i1)
          Gemm.gemmSerial(false, false, i1 - i0, hd, i1, ds, i0 * s, s, k, kvOff, kvd, dq, qOff + i0 * qd, qd, false);
        }
        // dkᵀ[:, j] += Σ_{i ≥ j} qᵀ[:, i]·ds[i][j]
        for (int j0 = 0; j0 < s; j0 += BLOCK) {
          int j1 = Math.min(s, j0 + BLOCK);
          Gemm.gemmSerial(false, false, hd, j1 - j0, s - j0, sc.qT, j0, s, ds, j0 * s + j0, s, sc.dkT, j0, s, true);
        }
      }
      untranspose(sc.dvT, s, hd, dv, kvOff, kvd);
      untranspose(sc.dkT, s, hd, dk, kvOff, kvd);
    });
  }

  /** One thread's working buffers, grown to the largest shape seen. */
  private static final class Scratch {
    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    float[] ds = new float[0];
    float[] vT = new float[0];
    float[] qT = new float[0];
    float[] dctxT = new float[0];
    float[] dvT = new float[0];
    float[] dkT = new float[0];

    static Scratch of(int seq, int hd) {
      Scratch sc = LOCAL.get();
      if (sc.ds.length < seq * seq) sc.ds = new float[seq * seq];
      if (sc.vT.length < seq * hd) {
        sc.vT = new float[seq * hd];
        sc.qT = new float[seq * hd];
        sc.dctxT = new float[seq * hd];
        sc.dvT = new float[seq * hd];
        sc.dkT = new float[seq * hd];
      }
      return sc;
    }
  }

  /**
   * One head's slice {@code x[t][c]} (rows {@code ld} apart from {@code off}, {@code seq} × {@code hd}) into
   * {@code xT[c·seq + t]}.
   */
  static void transpose(float[] x, int off, int ld, int seq, int hd, float[] xT) {
    Transpose.copy(x, off, ld, seq, hd, xT, 0, seq);
  }

  /** The inverse of {@link #transpose}: {@code x[t][c] = xT[c·seq + t]}. */
  static void untranspose(float[] xT, int seq, int hd, float[] x, int off, int ld) {
    Transpose.copy(xT, 0, seq, hd, seq, x, off, ld);
  }
}
