package org.eef4j.engine.generate;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.eef4j.engine.kernel.Backend;
import org.eef4j.engine.kernel.Gemm;
import org.eef4j.engine.kernel.WorkerPool;

/**
 * A weight matrix {@code W[n×k]} (Hugging Face's row-per-output layout) packed once into column panels for
 * {@code y (+)= x·Wᵀ}, so that inference never repacks weights. A general GEMM packs its B operand on every call,
 * which costs as much as the product itself when x has one row (decoding one sequence) and a third of it at 32 rows.
 *
 * <p>Layout: k is cut into blocks of {@link #KC}; block b holds {@code ceil(n / NR)} panels of {@code kc × NR} floats,
 * element (p, j) of panel q at {@code q·kc·NR + p·NR + j} (columns past n are zero). The microkernel broadcasts one x
 * value per row and k and multiplies it into two vectors of a panel row, four rows at a time (eight accumulators).
 *
 * <p>Every entry of y is the same computation whatever the number of rows: an FMA chain over each k block from zero,
 * added to y block by block. The scalar twin performs the same FMAs, so both give identical bits.
 *
 * <p>With bf16 weights the panels hold each weight rounded to bfloat16 (to nearest, ties to even), half the bytes: a
 * decode step at batch 1 reads every weight once per token, so it is bound by memory traffic, which this halves. Two
 * bf16 values share an int: panel element (p, j) sits in the low half of int {@code p·NR/2 + j} for j < NR/2, in the
 * high half of int {@code p·NR/2 + j − NR/2} otherwise. One int-vector load then gives both vectors of a panel row,
 * the high halves by a mask and the low ones by a shift, with no lane shuffles. The products are the f32 kernels' FMA
 * chains over the rounded weights, so bf16 results too are the same at every width and on the scalar twin, but differ
 * from f32's.
 */
final class PackedLinear {

  /** Depth of a block: one panel (256 × 32 floats, 32 KB at 512 bits) stays in L1 while rows of x stream past it. */
  static final int KC = 256;
  /** Rows of x per microkernel call. */
  static final int MR = 4;
  /** Rows of x per cache block (MC × KC floats = 128 KB, L2-resident). */
  static final int MC = 128;

  private static final class V {
    static final VectorSpecies<Float> S = org.eef4j.engine.kernel.Lanes.SPECIES;
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    static final int L = org.eef4j.engine.kernel.Lanes.LENGTH;
  }

  private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * 64]);

  final int n;
  final int k;
  private final int nr;
  private final int panels;
  /** f32 panels, or null with bf16 weights. */
  private final float[] packed;
  /** bf16 panels, two weights an int (see the class comment), or null with f32 weights. */
  private final int[] pairs;

  /** Packs W[n×k] read from {@code w} at {@code off}, in f32. */
  PackedLinear(float[] w, int off, int n, int k) {
    this(w, off, n, k, false);
  }

  /** Packs W[n×k] read from {@code w} at {@code off}, rounded to bf16 when {@code bf16}. */
  PackedLinear(float[] w, int off, int n, int k, boolean bf16) {
    this.n = n;
    this.k = k;
    this.nr = Backend.vector() ? 2 * V.L : 16;
    this.panels = (n + nr - 1) / nr;
    long size = (long) panels * nr * k;
    if (size > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("weight of " + n + "×" + k + " is too large");
    this.packed = bf16 ? null : new float[(int) size];
    this.pairs = bf16 ? new int[(int) (size / 2)] : null;
    int half = nr / 2;
    for (int pc = 0; pc < k; pc += KC) {
      int kc = Math.min(KC, k - pc);
      int blockBase = pc * panels * nr;
      for (int q = 0; q < panels; q++) {
        int base = blockBase + q * kc * nr;
        for (int j = 0; j < nr && q * nr + j < n; j++) {
          int src = off + (q * nr + j) * k + pc;
          if (!bf16) {
            for (int p = 0; p < kc; p++) packed[base + p * nr + j] = w[src + p];
          } else {
            int shift = j < half ? 0 : 16;
            int col = j % half;
            for (int p = 0; p < kc; p++) pairs[base / 2 + p * half + col] |= toBf16(w[src + p]) << shift;
          }
        }
      }
    }
  }

  /** Whether the weights are held in bf16. */
  boolean bf16() {
    return pairs != null;
  }

  /** The bf16 bits of x rounded to nearest, ties to even (NaN stays NaN). */
  static int toBf16(float x) {
    int bits = Float.floatToRawIntBits(x);
    if (Float.isNaN(x)) return (bits >>> 16) | 0x40;
    return (bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16;
  }

  /** The float whose bits are the bf16 value's followed by 16 zeros: exact, every bf16 is a float. */
  static float fromBf16(int bits) {
    return Float.intBitsToFloat(bits << 16);
  }

  /** {@code y[m×n] (+)= x[m×k]·Wᵀ}, rows of x and y contiguous; panels spread over the worker pool. */
  void apply(float[] x, int m, float[] y, boolean accumulate) {
    WorkerPool pool = WorkerPool.shared();
    int tasks = Math.min(panels, Math.max(1, pool.threads() * 4));
    int per = (panels + tasks - 1) / tasks;
    int count = (panels + per - 1) / per;
    if ((long) m * n * k < 32L * 32 * 32) {
      run(x, m, y, accumulate, 0, panels);
    } else {
      pool.parallelFor(count, t -> run(x, m, y, accumulate, t * per, Math.min(panels, (t + 1) * per)));
    }
  }

  private void run(float[] x, int m, float[] y, boolean accumulate, int q0, int q1) {
    boolean vector = Backend.vector();
    float[] tile = TILE.get();
    if (tile.length < MR * nr) {
      tile = new float[MR * nr];
      TILE.set(tile);
    }
    for (int pc = 0; pc < k; pc += KC) {
      int kc = Math.min(KC, k - pc);
      boolean add = accumulate || pc > 0;
      int blockBase = pc * panels * nr;
      // rows in blocks of MC, so that the x block (MC × kc) stays in L2 while the panels pass over it
      for (int ic = 0; ic < m; ic += MC) {
        int mEnd = Math.min(m, ic + MC);
        int whole = ic + (mEnd - ic) / MR * MR; // rows in whole MR-row tiles
        for (int q = q0; q < q1; q++) {
          int bBase = blockBase + q * kc * nr;
          int j0 = q * nr;
          for (int i = ic; i < whole; i += MR) {
            int xBase = i * k + pc;
            if (n - j0 < nr) edge(vector, kc, x, xBase, bBase, y, i, MR, j0, add, tile);
            else if (pairs != null && vector) kernel4Bf16(kc, x, xBase, k, pairs, bBase / 2, y, i * n + j0, n, add);
            else if (pairs != null) scalarBf16(MR, kc, x, xBase, k, pairs, bBase / 2, nr, y, i * n + j0, n, add);
            else if (vector) {
              // Gemm's four-row kernel adds its chains to y; a chain never ends in -0 (it starts from +0), so adding it
              // to zeros gives its own bits
              if (!add) for (int r = 0; r < MR; r++) java.util.Arrays.fill(y, (i + r) * n + j0, (i + r) * n + j0 + nr, 0f);
              Gemm.kernel4x2(kc, x, xBase, k, packed, bBase, y, i * n + j0, n);
            }
            else scalar(MR, kc, x, xBase, k, packed, bBase, nr, y, i * n + j0, n, add);
          }
        }
        // The last rows, fewer than a tile (all of them when decoding a few sequences): one row at a time, over two
        // panels per call where both are whole, so that four FMA chains run side by side instead of two.
        for (int i = whole; i < mEnd; i++) {
          int xBase = i * k + pc;
          int q = q0;
          for (; vector && q + 1 < q1 && (q + 2) * nr <= n; q += 2) {
            int bBase = blockBase + q * kc * nr;
            if (pairs != null) kernel1x2Bf16(kc, x, xBase, pairs, bBase / 2, (bBase + kc * nr) / 2, y, i * n + q * nr, add);
            else kernel1x2(kc, x, xBase, packed, bBase, bBase + kc * nr, y, i * n + q * nr, add);
          }
          for (; q < q1; q++) edge(vector, kc, x, xBase, blockBase + q * kc * nr, y, i, 1, q * nr, add, tile);
        }
      }
    }
  }

  /** Rows [i, i + rows) against one panel whose columns may end past n: the tile aside, then into y. */
  private void edge(boolean vector, int kc, float[] x, int xBase, int bBase, float[] y, int i, int rows, int j0,
      boolean add, float[] tile) {
    int cols = Math.min(nr, n - j0);
    for (int r = 0; r < rows; r++) {
      if (pairs != null && vector) kernel1Bf16(kc, x, xBase + r * k, pairs, bBase / 2, tile, r * nr);
      else if (pairs != null) scalarBf16(1, kc, x, xBase + r * k, k, pairs, bBase / 2, nr, tile, r * nr, nr, false);
      else if (vector) kernel1(kc, x, xBase + r * k, packed, bBase, tile, r * nr, false);
      else scalar(1, kc, x, xBase + r * k, k, packed, bBase, nr, tile, r * nr, nr, false);
    }
    for (int r = 0; r < rows; r++) {
      int yr = (i + r) * n + j0;
      for (int j = 0; j < cols; j++) y[yr + j] = add ? tile[r * nr + j] + y[yr + j] : tile[r * nr + j];
    }
  }

  /** One row × two panels (four vectors, adjacent in y): four independent FMA chains, each entry's as in Gemm.kernel4x2. */
  private static void kernel1x2(int kc, float[] x, int xBase, float[] bp, int bBase0, int bBase1, float[] y, int yi,
      boolean add) {
    VectorSpecies<Float> s = V.S;
    int l = V.L;
    int nr = 2 * l;
    FloatVector c0 = FloatVector.zero(s), c1 = FloatVector.zero(s), c2 = FloatVector.zero(s), c3 = FloatVector.zero(s);
    for (int p = 0; p < kc; p++) {
      FloatVector a = FloatVector.broadcast(s, x[xBase + p]);
      int b0 = bBase0 + p * nr;
      int b1 = bBase1 + p * nr;
      c0 = a.fma(FloatVector.fromArray(s, bp, b0), c0);
      c1 = a.fma(FloatVector.fromArray(s, bp, b0 + l), c1);
      c2 = a.fma(FloatVector.fromArray(s, bp, b1), c2);
      c3 = a.fma(FloatVector.fromArray(s, bp, b1 + l), c3);
    }
    if (add) {
      c0 = c0.add(FloatVector.fromArray(s, y, yi));
      c1 = c1.add(FloatVector.fromArray(s, y, yi + l));
      c2 = c2.add(FloatVector.fromArray(s, y, yi + 2 * l));
      c3 = c3.add(FloatVector.fromArray(s, y, yi + 3 * l));
    }
    c0.intoArray(y, yi);
    c1.intoArray(y, yi + l);
    c2.intoArray(y, yi + 2 * l);
    c3.intoArray(y, yi + 3 * l);
  }

  /** One row × two vectors (edges). */
  private static void kernel1(int kc, float[] x, int xBase, float[] bp, int bBase, float[] y, int yi, boolean add) {
    VectorSpecies<Float> s = V.S;
    int l = V.L;
    int nr = 2 * l;
    FloatVector c0 = FloatVector.zero(s);
    FloatVector c1 = FloatVector.zero(s);
    for (int p = 0; p < kc; p++) {
      int bi = bBase + p * nr;
      FloatVector a = FloatVector.broadcast(s, x[xBase + p]);
      c0 = a.fma(FloatVector.fromArray(s, bp, bi), c0);
      c1 = a.fma(FloatVector.fromArray(s, bp, bi + l), c1);
    }
    if (add) {
      c0 = c0.add(FloatVector.fromArray(s, y, yi));
      c1 = c1.add(FloatVector.fromArray(s, y, yi + l));
    }
    c0.intoArray(y, yi);
    c1.intoArray(y, yi + l);
  }

  /** The panel row's first vector (columns 0..L−1): the low halves of the pairs, shifted up. */
  private static FloatVector low(IntVector pair) {
    return pair.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
  }

  /** The panel row's second vector (columns L..2L−1): the high halves of the pairs, the low bits cleared. */
  private static FloatVector high(IntVector pair) {
    return pair.and(0xFFFF0000).reinterpretAsFloats();
  }

  /**
   * Gemm.kernel4x2 over bf16 panels ({@code bBase} in ints): one int-vector load per k gives both panel vectors. Its
   * own copy of the loop and epilogue rather than one kernel over a panel reader: the Vector API's vectors stay in
   * registers only inside one compiled method (a helper for Gemm's epilogue, not inlined, ran at 0.18 of the speed).
   */
  private static void kernel4Bf16(int kc, float[] x, int xBase, int ldx, int[] bp, int bBase, float[] y, int yi,
      int ldy, boolean add) {
    VectorSpecies<Float> s = V.S;
    int l = V.L;
    FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s), c10 = FloatVector.zero(s), c11 = FloatVector.zero(s);
    FloatVector c20 = FloatVector.zero(s), c21 = FloatVector.zero(s), c30 = FloatVector.zero(s), c31 = FloatVector.zero(s);
    for (int p = 0; p < kc; p++) {
      IntVector pair = IntVector.fromArray(V.I, bp, bBase + p * l);
      FloatVector b0 = low(pair);
      FloatVector b1 = high(pair);
      FloatVector a = FloatVector.broadcast(s, x[xBase + p]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(s, x[xBase + ldx + p]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(s, x[xBase + 2 * ldx + p]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(s, x[xBase + 3 * ldx + p]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
    }
    if (add) {
      c00 = c00.add(FloatVector.fromArray(s, y, yi));
      c01 = c01.add(FloatVector.fromArray(s, y, yi + l));
      c10 = c10.add(FloatVector.fromArray(s, y, yi + ldy));
      c11 = c11.add(FloatVector.fromArray(s, y, yi + ldy + l));
      c20 = c20.add(FloatVector.fromArray(s, y, yi + 2 * ldy));
      c21 = c21.add(FloatVector.fromArray(s, y, yi + 2 * ldy + l));
      c30 = c30.add(FloatVector.fromArray(s, y, yi + 3 * ldy));
      c31 = c31.add(FloatVector.fromArray(s, y, yi + 3 * ldy + l));
    }
    c00.intoArray(y, yi);
    c01.intoArray(y, yi + l);
    c10.intoArray(y, yi + ldy);
    c11.intoArray(y, yi + ldy + l);
    c20.intoArray(y, yi + 2 * ldy);
    c21.intoArray(y, yi + 2 * ldy + l);
    c30.intoArray(y, yi + 3 * ldy);
    c31.intoArray(y, yi + 3 * ldy + l);
  }

  /** {@link #kernel1x2} over bf16 panels ({@code bBase0}, {@code bBase1} in ints). */
  private static void kernel1x2Bf16(int kc, float[] x, int xBase, int[] bp, int bBase0, int bBase1, float[] y, int yi,
      boolean add) {
    VectorSpecies<Float> s = V.S;
    int l = V.L;
    FloatVector c0 = FloatVector.zero(s), c1 = FloatVector.zero(s), c2 = FloatVector.zero(s), c3 = FloatVector.zero(s);
    for (int p = 0; p < kc; p++) {
      FloatVector a = FloatVector.broadcast(s, x[xBase + p]);
      IntVector pair0 = IntVector.fromArray(V.I, bp, bBase0 + p * l);
      IntVector pair1 = IntVector.fromArray(V.I, bp, bBase1 + p * l);
      c0 = a.fma(low(pair0), c0);
      c1 = a.fma(high(pair0), c1);
      c2 = a.fma(low(pair1), c2);
      c3 = a.fma(high(pair1), c3);
    }
    if (add) {
      c0 = c0.add(FloatVector.fromArray(s, y, yi));
      c1 = c1.add(FloatVector.fromArray(s, y, yi + l));
      c2 = c2.add(FloatVector.fromArray(s, y, yi + 2 * l));
      c3 = c3.add(FloatVector.fromArray(s, y, yi + 3 * l));
    }
    c0.intoArray(y, yi);
    c1.intoArray(y, yi + l);
    c2.intoArray(y, yi + 2 * l);
    c3.intoArray(y, yi + 3 * l);
  }

  /** {@link #kernel1} over a bf16 panel ({@code bBase} in ints), into a tile (edges), never accumulating. */
  private static void kernel1Bf16(int kc, float[] x, int xBase, int[] bp, int bBase, float[] y, int yi) {
    VectorSpecies<Float> s = V.S;
    int l = V.L;
    FloatVector c0 = FloatVector.zero(s);
    FloatVector c1 = FloatVector.zero(s);
    for (int p = 0; p < kc; p++) {
      IntVector pair = IntVector.fromArray(V.I, bp, bBase + p * l);
      FloatVector a = FloatVector.broadcast(s, x[xBase + p]);
      c0 = a.fma(low(pair), c0);
      c1 = a.fma(high(pair), c1);
    }
    c0.intoArray(y, yi);
    c1.intoArray(y, yi + l);
  }

  /** Scalar twin over bf16 panels ({@code bBase} in ints): the same FMA chains over the same rounded weights. */
  static void scalarBf16(int rows, int kc, float[] x, int xBase, int ldx, int[] bp, int bBase, int nr, float[] y, int yi,
      int ldy, boolean add) {
    int half = nr / 2;
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < nr; j++) {
        float acc = 0f;
        for (int p = 0; p < kc; p++) {
          int pair = bp[bBase + p * half + j % half];
          float wv = fromBf16(j < half ? pair & 0xFFFF : pair >>> 16);
          acc = Math.fma(x[xBase + r * ldx + p], wv, acc);
        }
        int at = yi + r * ldy + j;
        y[at] = add ? acc + y[at] : acc;
      }
    }
  }

  /** Scalar twin: the same FMA chain per entry (Math.fma is the lanes' exact fused multiply-add). */
  static void scalar(int rows, int kc, float[] x, int xBase, int ldx, float[] bp, int bBase, int nr, float[] y, int yi,
      int ldy, boolean add) {
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < nr; j++) {
        float acc = 0f;
        for (int p = 0; p < kc; p++) acc = Math.fma(x[xBase + r * ldx + p], bp[bBase + p * nr + j], acc);
        int at = yi + r * ldy + j;
        y[at] = add ? acc + y[at] : acc;
      }
    }
  }
}
