package org.eef4j.engine.generate;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.eef4j.engine.kernel.Backend;
import org.eef4j.engine.kernel.GemmBlocks;
import org.eef4j.engine.kernel.Lanes;

/**
 * Attention's two products for a few query rows against a long cache (decoding: one new token per sequence), with the
 * bits {@link org.eef4j.engine.kernel.Gemm} gives them: each output is the sum, in k order, of FMA chains over
 * consecutive blocks of {@link GemmBlocks#depth()} k values, each chain from zero, added to a zeroed output.
 *
 * <p>Why not Gemm: it packs all of B (the cached keys, then the values) for every call, and with one or two rows of A
 * each packed value serves one or two multiply-adds, so packing took 40% of the demo's generation time. Here the keys
 * are read in place, eight of them side by side (eight independent chains keep the FMA units busy), and the values row
 * after row, one vector FMA per row and lane group.
 */
final class FewRowsAttention {

  /** Rows up to which these beat Gemm (decoding a token per sequence, with up to four query heads per key head). */
  static final int MAX_ROWS = 4;

  private FewRowsAttention() {}

  /**
   * {@code s[r·cols + j] = q_r · key_j} for r < rows, j < cols: q_r at {@code q[r·hd ...]}, key j at
   * {@code k[kOff + j·ldk ...]}, hd values each. Gemm's {@code (false, true, rows, cols, hd, q, 0, hd, k, kOff, ldk, s, 0,
   * cols, false)}.
   */
  static void scores(float[] q, int rows, int hd, float[] k, int kOff, int ldk, int cols, float[] s) {
    int kb = GemmBlocks.depth();
    for (int r = 0; r < rows; r++) {
      int qo = r * hd;
      int so = r * cols;
      int j = 0;
      for (; j + 8 <= cols; j += 8) {
        int b = kOff + j * ldk;
        float c0 = 0f, c1 = 0f, c2 = 0f, c3 = 0f, c4 = 0f, c5 = 0f, c6 = 0f, c7 = 0f;
        for (int d0 = 0; d0 < hd; d0 += kb) {
          float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f, a4 = 0f, a5 = 0f, a6 = 0f, a7 = 0f;
          for (int d = d0, d1 = Math.min(hd, d0 + kb); d < d1; d++) {
            float x = q[qo + d];
            a0 = Math.fma(x, k[b + d], a0);
            a1 = Math.fma(x, k[b + ldk + d], a1);
            a2 = Math.fma(x, k[b + 2 * ldk + d], a2);
            a3 = Math.fma(x, k[b + 3 * ldk + d], a3);
            a4 = Math.fma(x, k[b + 4 * ldk + d], a4);
            a5 = Math.fma(x, k[b + 5 * ldk + d], a5);
            a6 = Math.fma(x, k[b + 6 * ldk + d], a6);
            a7 = Math.fma(x, k[b + 7 * ldk + d], a7);
          }
          c0 += a0;
          c1 += a1;
          c2 += a2;
          c3 += a3;
          c4 += a4;
          c5 += a5;
          c6 += a6;
          c7 += a7;
        }
        s[so + j] = c0;
        s[so + j + 1] = c1;
        s[so + j + 2] = c2;
        s[so + j + 3] = c3;
        s[so + j + 4] = c4;
        s[so + j + 5] = c5;
        s[so + j + 6] = c6;
        s[so + j + 7] = c7;
      }
      for (; j < cols; j++) {
        int b = kOff + j * ldk;
        float c = 0f;
        for (int d0 = 0; d0 < hd; d0 += kb) {
          float a = 0f;
          for (int d = d0, d1 = Math.min(hd, d0 + kb); d < d1; d++) a = Math.fma(q[qo + d], k[b + d], a);
          c += a;
        }
        s[so + j] = c;
      }
    }
  }

  /**
   * {@code out[r·hd + c] = Σ_j p[r·cols + j] · value_j[c]} for r < rows, c < hd: value j at {@code v[vOff + j·ldv ...]}.
   * Gemm's {@code (false, false, rows, hd, cols, p, 0, cols, v, vOff, ldv, out, 0, hd, false)}.
   */
  static void weightedValues(float[] p, int rows, int cols, float[] v, int vOff, int ldv, int hd, float[] out) {
    int kb = GemmBlocks.depth();
    int vectorEnd = Backend.vector() ? hd / V.L * V.L : 0;
    for (int r = 0; r < rows; r++) {
      int po = r * cols;
      int oo = r * hd;
      for (int c = 0; c < vectorEnd; c += V.L) {
        FloatVector total = FloatVector.zero(V.S);
        for (int j0 = 0; j0 < cols; j0 += kb) {
          FloatVector acc = FloatVector.zero(V.S);
          for (int j = j0, j1 = Math.min(cols, j0 + kb); j < j1; j++) {
            acc = FloatVector.broadcast(V.S, p[po + j]).fma(FloatVector.fromArray(V.S, v, vOff + j * ldv + c), acc);
          }
          total = total.add(acc);
        }
        total.intoArray(out, oo + c);
      }
      for (int c = vectorEnd; c < hd; c++) {
        float total = 0f;
        for (int j0 = 0; j0 < cols; j0 += kb) {
          float a = 0f;
          for (int j = j0, j1 = Math.min(cols, j0 + kb); j < j1; j++) a = Math.fma(p[po + j], v[vOff + j * ldv + c], a);
          total += a;
        }
        out[oo + c] = total;
      }
    }
  }

  /** The species, in a holder so that the scalar path never loads the incubator module. */
  private static final class V {
    static final VectorSpecies<Float> S = Lanes.SPECIES;
    static final int L = Lanes.LENGTH;
  }
}
