package org.eef4j.engine.generate;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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
 * each packed value serves one or two multiply-adds, so packing took 40% of the demo's generation time. Here both are
 * read in place. The keys are stored transposed ({@link KvCache}: per head, blocks of {@link KvCache#BLOCK} positions,
 * a dimension's 64 keys side by side), so the scores run with keys along the vector lanes: per dimension one broadcast
 * query value and one vector FMA per lane count of keys, each lane the FMA chain over the dimensions that key's score
 * is in Gemm, eight vectors of keys at a time (eight independent chains keep both FMA units busy through the FMA's
 * latency). The values are token-major: each output vector (a row and a lane group of the head) is a chain of one
 * vector FMA per cached position, the chains of all rows run side by side.
 */
final class FewRowsAttention {

  /**
   * Query rows up to which these beat Gemm (decoding a token per sequence with up to eight query heads per key head, as
   * Qwen2.5's seven). Single thread, CPU time, one key head, 400-512 cached keys, head size 32-128, at 512, 256 and 128
   * bits (docs/engine-kernels.md): scores 1.4-5.5x Gemm's speed and values 1.5-6.6x at 2 to 8 rows; at 12 rows
   * 1.0-1.5x, where Gemm's tiles start to pay for its packing.
   */
  static final int MAX_ROWS = 8;

  private static final int BLOCK = KvCache.BLOCK;

  private FewRowsAttention() {}

  /**
   * {@code s[r·cols + j] = q_r · key_j} for r < rows, j < cols: q_r at {@code q[r·hd ...]}, keys in {@link KvCache}'s
   * transposed blocks from {@code kOff} (dimension d of key j at {@code kOff + (j / 64)·hd·64 + d·64 + j % 64}). Gemm's
   * {@code (false, true, rows, cols, hd, q, 0, hd, K, 0, hd, s, 0, cols, false)} for the keys K as rows.
   */
  static void scores(float[] q, int rows, int hd, float[] k, int kOff, int cols, float[] s) {
    scores(Backend.vector(), q, rows, hd, k, kOff, cols, s);
  }

  /** The vector kernel or its scalar twin (package-private so tests can run both). */
  static void scores(boolean vector, float[] q, int rows, int hd, float[] k, int kOff, int cols, float[] s) {
    if (vector) VectorScores.scores(q, rows, hd, k, kOff, cols, s);
    else scalarScores(q, rows, hd, k, kOff, cols, s);
  }

  /** The scalar twin: eight keys of a block side by side, eight independent FMA chains. */
  private static void scalarScores(float[] q, int rows, int hd, float[] k, int kOff, int cols, float[] s) {
    int kb = GemmBlocks.depth();
    int blockFloats = hd * BLOCK;
    for (int j = 0; j < cols; j += 8) {
      int b = kOff + j / BLOCK * blockFloats + j % BLOCK; // 8 divides BLOCK: the eight keys share a block
      int n = Math.min(8, cols - j);
      for (int r = 0; r < rows; r++) {
        int qo = r * hd;
        int so = r * cols + j;
        if (n < 8) {
          for (int i = 0; i < n; i++) {
            float c = 0f;
            for (int d0 = 0; d0 < hd; d0 += kb) {
              float a = 0f;
              for (int d = d0, d1 = Math.min(hd, d0 + kb); d < d1; d++) a = Math.fma(q[qo + d], k[b + d * BLOCK + i], a);
              c += a;
            }
            s[so + i] = c;
          }
          continue;
        }
        float c0 = 0f, c1 = 0f, c2 = 0f, c3 = 0f, c4 = 0f, c5 = 0f, c6 = 0f, c7 = 0f;
        for (int d0 = 0; d0 < hd; d0 += kb) {
          float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f, a4 = 0f, a5 = 0f, a6 = 0f, a7 = 0f;
          for (int d = d0, d1 = Math.min(hd, d0 + kb); d < d1; d++) {
            float x = q[qo + d];
            int e = b + d * BLOCK;
            a0 = Math.fma(x, k[e], a0);
            a1 = Math.fma(x, k[e + 1], a1);
            a2 = Math.fma(x, k[e + 2], a2);
            a3 = Math.fma(x, k[e + 3], a3);
            a4 = Math.fma(x, k[e + 4], a4);
            a5 = Math.fma(x, k[e + 5], a5);
            a6 = Math.fma(x, k[e + 6], a6);
            a7 = Math.fma(x, k[e + 7], a7);
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
        s[so] = c0;
        s[so + 1] = c1;
        s[so + 2] = c2;
        s[so + 3] = c3;
        s[so + 4] = c4;
        s[so + 5] = c5;
        s[so + 6] = c6;
        s[so + 7] = c7;
      }
    }
  }

  /**
   * {@code out[r·hd + c] = Σ_j p[r·cols + j] · value_j[c]} for r < rows, c < hd: value j at {@code v[vOff + j·ldv ...]}.
   * Gemm's {@code (false, false, rows, hd, cols, p, 0, cols, v, vOff, ldv, out, 0, hd, false)}.
   */
  static void weightedValues(float[] p, int rows, int cols, float[] v, int vOff, int ldv, int hd, float[] out) {
    weightedValues(Backend.vector(), p, rows, cols, v, vOff, ldv, hd, out);
  }

  /** With the vector kernel or its scalar twin (package-private so tests can run both). */
  static void weightedValues(boolean vector, float[] p, int rows, int cols, float[] v, int vOff, int ldv, int hd,
      float[] out) {
    int kb = GemmBlocks.depth();
    int vectorEnd = 0;
    if (vector) {
      vectorEnd = hd / V.L * V.L;
      VectorValues.values(p, rows, cols, v, vOff, ldv, hd, out);
    }
    for (int r = 0; r < rows; r++) {
      int po = r * cols;
      int oo = r * hd;
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

  /**
   * The vector kernels of the values product, in a holder so that the scalar path never loads the incubator module.
   * Each output vector (a row r and a lane group of columns from c) is one chain over the cached positions, one FMA per
   * position: {@code p[r, j] · value_j[c ..]}. A chain's FMAs depend on each other, so one chain at a time waits out the
   * FMA's latency at every position: the kernels run tiles of two rows × up to four vectors (with head size 32, a row
   * has two vectors at 512 bits, four at 256, eight at 128), so that the chains run side by side and each value vector
   * loaded serves both rows. Measured against one row's chains at a time over all rows (single thread, CPU time,
   * 512 bits, 2 rows, head size 32, 400 positions): 2x.
   */
  private static final class VectorValues {

    static void values(float[] p, int rows, int cols, float[] v, int vOff, int ldv, int hd, float[] out) {
      int perRow = hd / V.L;
      int r = 0;
      for (; r + 2 <= rows; r += 2) {
        int c = 0;
        for (; c + 4 <= perRow; c += 4) rows2x4(p, r, cols, v, vOff, ldv, hd, c * V.L, out);
        for (; c + 2 <= perRow; c += 2) rows2x2(p, r, cols, v, vOff, ldv, hd, c * V.L, out);
        for (; c < perRow; c++) rows2x1(p, r, cols, v, vOff, ldv, hd, c * V.L, out);
      }
      for (; r < rows; r++) {
        int c = 0;
        for (; c + 4 <= perRow; c += 4) rows1x4(p, r, cols, v, vOff, ldv, hd, c * V.L, out);
        for (; c + 2 <= perRow; c += 2) rows1x2(p, r, cols, v, vOff, ldv, hd, c * V.L, out);
        for (; c < perRow; c++) rows1x1(p, r, cols, v, vOff, ldv, hd, c * V.L, out);
      }
    }

    /**
     * Rows r0 and r0 + 1 × 4 vectors of columns from c (eight chains): per position, one load of each value vector
     * serves both rows, one broadcast of each row's weight serves the four vectors. Accumulators are named locals and no
     * vector is passed to a helper, so that the JIT keeps them in registers (see VectorScores).
     */
    private static void rows2x4(float[] p, int r0, int cols, float[] v, int vOff, int ldv, int hd, int c, float[] out) {
      VectorSpecies<Float> sp = V.S;
      int l = V.L;
      int p0 = r0 * cols;
      int p1 = (r0 + 1) * cols;
      int kb = GemmBlocks.depth();
      for (int j0 = 0; j0 < cols; j0 += kb) {
        FloatVector a00 = FloatVector.zero(sp), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        for (int j = j0, j1 = Math.min(cols, j0 + kb); j < j1; j++) {
          int row = vOff + j * ldv + c;
          FloatVector v0 = FloatVector.fromArray(sp, v, row);
          FloatVector v1 = FloatVector.fromArray(sp, v, row + l);
          FloatVector v2 = FloatVector.fromArray(sp, v, row + 2 * l);
          FloatVector v3 = FloatVector.fromArray(sp, v, row + 3 * l);
          FloatVector x0 = FloatVector.broadcast(sp, p[p0 + j]);
          a00 = x0.fma(v0, a00);
          a01 = x0.fma(v1, a01);
          a02 = x0.fma(v2, a02);
          a03 = x0.fma(v3, a03);
          FloatVector x1 = FloatVector.broadcast(sp, p[p1 + j]);
          a10 = x1.fma(v0, a10);
          a11 = x1.fma(v1, a11);
          a12 = x1.fma(v2, a12);
          a13 = x1.fma(v3, a13);
        }
        // each k block's chain added to the output, the first to a zero, as Gemm adds it to a zeroed C
        int o0 = r0 * hd + c;
        int o1 = (r0 + 1) * hd + c;
        if (j0 == 0) {
          a00.add(0f).intoArray(out, o0);
          a01.add(0f).intoArray(out, o0 + l);
          a02.add(0f).intoArray(out, o0 + 2 * l);
          a03.add(0f).intoArray(out, o0 + 3 * l);
          a10.add(0f).intoArray(out, o1);
          a11.add(0f).intoArray(out, o1 + l);
          a12.add(0f).intoArray(out, o1 + 2 * l);
          a13.add(0f).intoArray(out, o1 + 3 * l);
        } else {
          a00.add(FloatVector.fromArray(sp, out, o0)).intoArray(out, o0);
          a01.add(FloatVector.fromArray(sp, out, o0 + l)).intoArray(out, o0 + l);
          a02.add(FloatVector.fromArray(sp, out, o0 + 2 * l)).intoArray(out, o0 + 2 * l);
          a03.add(FloatVector.fromArray(sp, out, o0 + 3 * l)).intoArray(out, o0 + 3 * l);
          a10.add(FloatVector.fromArray(sp, out, o1)).intoArray(out, o1);
          a11.add(FloatVector.fromArray(sp, out, o1 + l)).intoArray(out, o1 + l);
          a12.add(FloatVector.fromArray(sp, out, o1 + 2 * l)).intoArray(out, o1 + 2 * l);
          a13.add(FloatVector.fromArray(sp, out, o1 + 3 * l)).intoArray(out, o1 + 3 * l);
        }
      }
    }

    /** Rows r0 and r0 + 1 × 2 vectors of columns from c, as {@link #rows2x4}. */
    private static void rows2x2(float[] p, int r0, int cols, float[] v, int vOff, int ldv, int hd, int c, float[] out) {
      VectorSpecies<Float> sp = V.S;
      int l = V.L;
      int p0 = r0 * cols;
      int p1 = (r0 + 1) * cols;
      int kb = GemmBlocks.depth();
      for (int j0 = 0; j0 < cols; j0 += kb) {
        FloatVector a00 = FloatVector.zero(sp), a01 = a00, a10 = a00, a11 = a00;
        for (int j = j0, j1 = Math.min(cols, j0 + kb); j < j1; j++) {
          int row = vOff + j * ldv + c;
          FloatVector v0 = FloatVector.fromArray(sp, v, row);
          FloatVector v1 = FloatVector.fromArray(sp, v, row + l);
          FloatVector x0 = FloatVector.broadcast(sp, p[p0 + j]);
          a00 = x0.fma(v0, a00);
          a01 = x0.fma(v1, a01);
          FloatVector x1 = FloatVector.broadcast(sp, p[p1 + j]);
          a10 = x1.fma(v0, a10);
          a11 = x1.fma(v1, a11);
        }
        // each k block's chain added to the output, the first to a zero, as Gemm adds it to a zeroed C
        int o0 = r0 * hd + c;
        int o1 = (r0 + 1) * hd + c;
        if (j0 == 0) {
          a00.add(0f).intoArray(out, o0);
          a01.add(0f).intoArray(out, o0 + l);
          a10.add(0f).intoArray(out, o1);
          a11.add(0f).intoArray(out, o1 + l);
        } else {
          a00.add(FloatVector.fromArray(sp, out, o0)).intoArray(out, o0);
          a01.add(FloatVector.fromArray(sp, out, o0 + l)).intoArray(out, o0 + l);
          a10.add(FloatVector.fromArray(sp, out, o1)).intoArray(out, o1);
          a11.add(FloatVector.fromArray(sp, out, o1 + l)).intoArray(out, o1 + l);
        }
      }
    }

    /** Rows r0 and r0 + 1 × one vector of columns from c, as {@link #rows2x4}. */
    private static void rows2x1(float[] p, int r0, int cols, float[] v, int vOff, int ldv, int hd, int c, float[] out) {
      VectorSpecies<Float> sp = V.S;
      int l = V.L;
      int p0 = r0 * cols;
      int p1 = (r0 + 1) * cols;
      int kb = GemmBlocks.depth();
      for (int j0 = 0; j0 < cols; j0 += kb) {
        FloatVector a00 = FloatVector.zero(sp), a10 = a00;
        for (int j = j0, j1 = Math.min(cols, j0 + kb); j < j1; j++) {
          int row = vOff + j * ldv + c;
          FloatVector v0 = FloatVector.fromArray(sp, v, row);
          FloatVector x0 = FloatVector.broadcast(sp, p[p0 + j]);
          a00 = x0.fma(v0, a00);
          FloatVector x1 = FloatVector.broadcast(sp, p[p1 + j]);
          a10 = x1.fma(v0, a10);
        }
        // each k block's chain added to the output, the first to a zero, as Gemm adds it to a zeroed C
        int o0 = r0 * hd + c;
        int o1 = (r0 + 1) * hd + c;
        if (j0 == 0) {
          a00.add(0f).intoArray(out, o0);
          a10.add(0f).intoArray(out, o1);
        } else {
          a00.add(FloatVector.fromArray(sp, out, o0)).intoArray(out, o0);
          a10.add(FloatVector.fromArray(sp, out, o1)).intoArray(out, o1);
        }
      }
    }

    /** Row r0 × 4 vectors of columns from c, as {@link #rows2x4}. */
    private static void rows1x4(float[] p, int r0, int cols, float[] v, int vOff, int ldv, int hd, int c, float[] out) {
      VectorSpecies<Float> sp = V.S;
      int l = V.L;
      int p0 = r0 * cols;
      int kb = GemmBlocks.depth();
      for (int j0 = 0; j0 < cols; j0 += kb) {
        FloatVector a00 = FloatVector.zero(sp), a01 = a00, a02 = a00, a03 = a00;
        for (int j = j0, j1 = Math.min(cols, j0 + kb); j < j1; j++) {
          int row = vOff + j * ldv + c;
          FloatVector v0 = FloatVector.fromArray(sp, v, row);
          FloatVector v1 = FloatVector.fromArray(sp, v, row + l);
          FloatVector v2 = FloatVector.fromArray(sp, v, row + 2 * l);
          FloatVector v3 = FloatVector.fromArray(sp, v, row + 3 * l);
          FloatVector x0 = FloatVector.broadcast(sp, p[p0 + j]);
          a00 = x0.fma(v0, a00);
          a01 = x0.fma(v1, a01);
          a02 = x0.fma(v2, a02);
          a03 = x0.fma(v3, a03);
        }
        // each k block's chain added to the output, the first to a zero, as Gemm adds it to a zeroed C
        int o0 = r0 * hd + c;
        if (j0 == 0) {
          a00.add(0f).intoArray(out, o0);
          a01.add(0f).intoArray(out, o0 + l);
          a02.add(0f).intoArray(out, o0 + 2 * l);
          a03.add(0f).intoArray(out, o0 + 3 * l);
        } else {
          a00.add(FloatVector.fromArray(sp, out, o0)).intoArray(out, o0);
          a01.add(FloatVector.fromArray(sp, out, o0 + l)).intoArray(out, o0 + l);
          a02.add(FloatVector.fromArray(sp, out, o0 + 2 * l)).intoArray(out, o0 + 2 * l);
          a03.add(FloatVector.fromArray(sp, out, o0 + 3 * l)).intoArray(out, o0 + 3 * l);
        }
      }
    }

    /** Row r0 × 2 vectors of columns from c, as {@link #rows2x4}. */
    private static void rows1x2(float[] p, int r0, int cols, float[] v, int vOff, int ldv, int hd, int c, float[] out) {
      VectorSpecies<Float> sp = V.S;
      int l = V.L;
      int p0 = r0 * cols;
      int kb = GemmBlocks.depth();
      for (int j0 = 0; j0 < cols; j0 += kb) {
        FloatVector a00 = FloatVector.zero(sp), a01 = a00;
        for (int j = j0, j1 = Math.min(cols, j0 + kb); j < j1; j++) {
          int row = vOff + j * ldv + c;
          FloatVector v0 = FloatVector.fromArray(sp, v, row);
          FloatVector v1 = FloatVector.fromArray(sp, v, row + l);
          FloatVector x0 = FloatVector.broadcast(sp, p[p0 + j]);
          a00 = x0.fma(v0, a00);
          a01 = x0.fma(v1, a01);
        }
        // each k block's chain added to the output, the first to a zero, as Gemm adds it to a zeroed C
        int o0 = r0 * hd + c;
        if (j0 == 0) {
          a00.add(0f).intoArray(out, o0);
          a01.add(0f).intoArray(out, o0 + l);
        } else {
          a00.add(FloatVector.fromArray(sp, out, o0)).intoArray(out, o0);
          a01.add(FloatVector.fromArray(sp, out, o0 + l)).intoArray(out, o0 + l);
        }
      }
    }

    /** Row r0 × one vector of columns from c, as {@link #rows2x4}. */
    private static void rows1x1(float[] p, int r0, int cols, float[] v, int vOff, int ldv, int hd, int c, float[] out) {
      VectorSpecies<Float> sp = V.S;
      int l = V.L;
      int p0 = r0 * cols;
      int kb = GemmBlocks.depth();
      for (int j0 = 0; j0 < cols; j0 += kb) {
        FloatVector a00 = FloatVector.zero(sp);
        for (int j = j0, j1 = Math.min(cols, j0 + kb); j < j1; j++) {
          int row = vOff + j * ldv + c;
          FloatVector v0 = FloatVector.fromArray(sp, v, row);
          FloatVector x0 = FloatVector.broadcast(sp, p[p0 + j]);
          a00 = x0.fma(v0, a00);
        }
        // each k block's chain added to the output, the first to a zero, as Gemm adds it to a zeroed C
        int o0 = r0 * hd + c;
        if (j0 == 0) {
          a00.add(0f).intoArray(out, o0);
        } else {
          a00.add(FloatVector.fromArray(sp, out, o0)).intoArray(out, o0);
        }
      }
    }
  }

  /**
   * The vector score kernels, in a holder so that the scalar path never loads the incubator module. Keys go along the
   * lanes: for each dimension d, one broadcast of q_r[d] and one FMA per vector of keys, so lane i of a vector runs key
   * i's chain over the dimensions, in order, from zero: the chain Gemm runs for that key. The key groups are the outer
   * loop and the rows the inner one, so a group's keys (8 vectors × hd floats, 16 KB at 512 bits and hd 32) are read
   * from memory once and from L1 by the other rows.
   */
  private static final class VectorScores {

    static void scores(float[] q, int rows, int hd, float[] k, int kOff, int cols, float[] s) {
      int lanes = V.L;
      int j = 0;
      for (; j + 8 * lanes <= cols; j += 8 * lanes) {
        for (int r = 0; r < rows; r++) eight(q, r * hd, hd, k, kOff, j, s, r * cols + j);
      }
      for (; j + 4 * lanes <= cols; j += 4 * lanes) {
        for (int r = 0; r < rows; r++) four(q, r * hd, hd, k, kOff, j, s, r * cols + j);
      }
      for (; j < cols; j += lanes) {
        for (int r = 0; r < rows; r++) one(q, r * hd, hd, k, kOff, j, cols, s, r * cols + j);
      }
    }

    /** Offset of dimension 0 of key j: lanes divide {@link KvCache#BLOCK}, so a vector of keys lies in one block. */
    private static int keyAt(int kOff, int hd, int j) {
      return kOff + j / BLOCK * (hd * BLOCK) + j % BLOCK;
    }

    /**
     * Scores of keys [j, j + 8·lanes) for the query row at {@code q[qo]}, into {@code s[so ...]}. Eight accumulators
     * written out as named locals, and no vector passed to a helper, so that the JIT keeps them in registers (an array
     * of vectors, or a vector argument of a call not inlined, is boxed on the heap).
     */
    private static void eight(float[] q, int qo, int hd, float[] k, int kOff, int j, float[] s, int so) {
      VectorSpecies<Float> sp = V.S;
      int l = V.L;
      int b0 = keyAt(kOff, hd, j);
      int b1 = keyAt(kOff, hd, j + l);
      int b2 = keyAt(kOff, hd, j + 2 * l);
      int b3 = keyAt(kOff, hd, j + 3 * l);
      int b4 = keyAt(kOff, hd, j + 4 * l);
      int b5 = keyAt(kOff, hd, j + 5 * l);
      int b6 = keyAt(kOff, hd, j + 6 * l);
      int b7 = keyAt(kOff, hd, j + 7 * l);
      int kb = GemmBlocks.depth();
      for (int d0 = 0; d0 < hd; d0 += kb) {
        FloatVector a0 = FloatVector.zero(sp), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int d = d0, d1 = Math.min(hd, d0 + kb); d < d1; d++) {
          FloatVector x = FloatVector.broadcast(sp, q[qo + d]);
          int e = d * BLOCK;
          a0 = x.fma(FloatVector.fromArray(sp, k, b0 + e), a0);
          a1 = x.fma(FloatVector.fromArray(sp, k, b1 + e), a1);
          a2 = x.fma(FloatVector.fromArray(sp, k, b2 + e), a2);
          a3 = x.fma(FloatVector.fromArray(sp, k, b3 + e), a3);
          a4 = x.fma(FloatVector.fromArray(sp, k, b4 + e), a4);
          a5 = x.fma(FloatVector.fromArray(sp, k, b5 + e), a5);
          a6 = x.fma(FloatVector.fromArray(sp, k, b6 + e), a6);
          a7 = x.fma(FloatVector.fromArray(sp, k, b7 + e), a7);
        }
        // each k block's chains added to the output, the first to a zero (a chain ending in -0 gives Gemm's +0)
        if (d0 == 0) {
          a0.add(0f).intoArray(s, so);
          a1.add(0f).intoArray(s, so + l);
          a2.add(0f).intoArray(s, so + 2 * l);
          a3.add(0f).intoArray(s, so + 3 * l);
          a4.add(0f).intoArray(s, so + 4 * l);
          a5.add(0f).intoArray(s, so + 5 * l);
          a6.add(0f).intoArray(s, so + 6 * l);
          a7.add(0f).intoArray(s, so + 7 * l);
        } else {
          a0.add(FloatVector.fromArray(sp, s, so)).intoArray(s, so);
          a1.add(FloatVector.fromArray(sp, s, so + l)).intoArray(s, so + l);
          a2.add(FloatVector.fromArray(sp, s, so + 2 * l)).intoArray(s, so + 2 * l);
          a3.add(FloatVector.fromArray(sp, s, so + 3 * l)).intoArray(s, so + 3 * l);
          a4.add(FloatVector.fromArray(sp, s, so + 4 * l)).intoArray(s, so + 4 * l);
          a5.add(FloatVector.fromArray(sp, s, so + 5 * l)).intoArray(s, so + 5 * l);
          a6.add(FloatVector.fromArray(sp, s, so + 6 * l)).intoArray(s, so + 6 * l);
          a7.add(FloatVector.fromArray(sp, s, so + 7 * l)).intoArray(s, so + 7 * l);
        }
      }
    }

    /** As {@link #eight} for keys [j, j + 4·lanes). */
    private static void four(float[] q, int qo, int hd, float[] k, int kOff, int j, float[] s, int so) {
      VectorSpecies<Float> sp = V.S;
      int l = V.L;
      int b0 = keyAt(kOff, hd, j);
      int b1 = keyAt(kOff, hd, j + l);
      int b2 = keyAt(kOff, hd, j + 2 * l);
      int b3 = keyAt(kOff, hd, j + 3 * l);
      int kb = GemmBlocks.depth();
      for (int d0 = 0; d0 < hd; d0 += kb) {
        FloatVector a0 = FloatVector.zero(sp), a1 = a0, a2 = a0, a3 = a0;
        for (int d = d0, d1 = Math.min(hd, d0 + kb); d < d1; d++) {
          FloatVector x = FloatVector.broadcast(sp, q[qo + d]);
          int e = d * BLOCK;
          a0 = x.fma(FloatVector.fromArray(sp, k, b0 + e), a0);
          a1 = x.fma(FloatVector.fromArray(sp, k, b1 + e), a1);
          a2 = x.fma(FloatVector.fromArray(sp, k, b2 + e), a2);
          a3 = x.fma(FloatVector.fromArray(sp, k, b3 + e), a3);
        }
        // each k block's chains added to the output, the first to a zero (a chain ending in -0 gives Gemm's +0)
        if (d0 == 0) {
          a0.add(0f).intoArray(s, so);
          a1.add(0f).intoArray(s, so + l);
          a2.add(0f).intoArray(s, so + 2 * l);
          a3.add(0f).intoArray(s, so + 3 * l);
        } else {
          a0.add(FloatVector.fromArray(sp, s, so)).intoArray(s, so);
          a1.add(FloatVector.fromArray(sp, s, so + l)).intoArray(s, so + l);
          a2.add(FloatVector.fromArray(sp, s, so + 2 * l)).intoArray(s, so + 2 * l);
          a3.add(FloatVector.fromArray(sp, s, so + 3 * l)).intoArray(s, so + 3 * l);
        }
      }
    }

    /**
     * As {@link #eight} for the keys of one vector from j, storing the lanes below {@code cols}. Lanes past it read
     * slots of the same block (allocated, not yet or never written) and are not stored.
     */
    private static void one(float[] q, int qo, int hd, float[] k, int kOff, int j, int cols, float[] s, int so) {
      VectorSpecies<Float> sp = V.S;
      VectorMask<Float> m = sp.indexInRange(j, cols);
      int b0 = keyAt(kOff, hd, j);
      int kb = GemmBlocks.depth();
      for (int d0 = 0; d0 < hd; d0 += kb) {
        FloatVector a0 = FloatVector.zero(sp);
        for (int d = d0, d1 = Math.min(hd, d0 + kb); d < d1; d++) {
          a0 = FloatVector.broadcast(sp, q[qo + d]).fma(FloatVector.fromArray(sp, k, b0 + d * BLOCK), a0);
        }
        FloatVector total = d0 == 0 ? FloatVector.zero(sp) : FloatVector.fromArray(sp, s, so, m);
        a0.add(total).intoArray(s, so, m);
      }
    }
  }

  /** The species, in a holder so that the scalar path never loads the incubator module. */
  private static final class V {
    static final VectorSpecies<Float> S = Lanes.SPECIES;
    static final int L = Lanes.LENGTH;
  }
}
