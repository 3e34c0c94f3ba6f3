package org.eef4j.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * General matrix multiply, {@code C[m×n] = (C +) op(A)[m×k] · op(B)[k×n]}, for row-major float arrays with offsets and
 * leading dimensions, where op transposes when asked. One routine serves a linear layer's three products (forward
 * {@code X·Wᵀ}, input gradient {@code dY·W}, weight gradient {@code dYᵀ·X}) and attention's per-head products.
 *
 * <p>Blocked the way BLIS/GotoBLAS do it: B is packed into {@code KC×NR} column panels and A into {@code MR×KC} row panels
 * (zero-padded at the edges, transposition absorbed by the packing), then a register-blocked microkernel computes each
 * {@code MR×NR} tile of C with MR·NR/lanes vector accumulators and one fused multiply-add per accumulator and k. The
 * packed B panel is reused by every row panel of the current A block, so it stays in L1/L2 while A streams.
 *
 * <p>{@link #gemm} spreads row (or column) blocks over the {@link WorkerPool}; {@link #gemmSerial} stays on the calling
 * thread (for callers that parallelise at a coarser grain, such as attention over heads); {@link #gemmNaive} is the plain
 * triple loop that tests compare the others against.
 */
public final class Gemm {

  /** Rows of C per microkernel call: 8 rows × 2 vectors = 16 accumulators, half of AVX-512's 32 registers. */
  static final int MR = 8;
  /** Depth of one packed block: a B micro-panel (KC × NR floats, 32 KB at 512 bits) stays in L1/L2. */
  static final int KC = 256;
  /** Rows of A packed at once (MC × KC floats = 128 KB, L2-resident). */
  static final int MC = 128;
  /** Columns of B packed at once (KC × NC floats = 1 MB). */
  static final int NC = 1024;

  private Gemm() {}

  /** Lanes of a vector; NR = 2 vectors. Kept in a holder so the class loads without the incubator module. */
  private static final class V {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
  }

  private static int nr() {
    return Backend.vector() ? 2 * V.L : 16;
  }

  private record Scratch(float[] a, float[] b, float[] tile) {}

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(() -> {
    int nr = nr();
    return new Scratch(new float[MC * KC], new float[KC * ((NC + nr - 1) / nr) * nr], new float[MR * nr]);
  });

  /** C (+)= op(A)·op(B) over the shared worker pool. */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
    WorkerPool pool = WorkerPool.shared();
    int threads = pool.threads();
    if (threads == 1 || (long) m * n * k < 32L * 32 * 32) {
      gemmSerial(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
      return;
    }
    // Split the larger of m and n into blocks claimed dynamically (a noisy neighbour on one core then costs less than a
    // static half each); each block packs its own B panels, a k·n cost against the block's k·n·rows of arithmetic.
    if (m >= n) {
      int chunk = chunk(m, threads, MR);
      int tasks = (m + chunk - 1) / chunk;
      pool.parallelFor(tasks, t -> {
        int r0 = t * chunk;
        int rows = Math.min(chunk, m - r0);
        gemmSerial(transA, transB, rows, n, k, a, aOff + (transA ? r0 : r0 * lda), lda, b, bOff, ldb,
            c, cOff + r0 * ldc, ldc, accumulate);
      });
    } else {
      int chunk = chunk(n, threads, nr());
      int tasks = (n + chunk - 1) / chunk;
      pool.parallelFor(tasks, t -> {
        int c0 = t * chunk;
        int cols = Math.min(chunk, n - c0);
        gemmSerial(transA, transB, m, cols, k, a, aOff, lda, b, bOff + (transB ? c0 * ldb : c0), ldb,
            c, cOff + c0, ldc, accumulate);
      });
    }
  }

  /** Block size for splitting {@code size} over threads: three blocks per thread when blocks stay large, else one. */
  private static int chunk(int size, int threads, int align) {
    int blocks = size / (3 * threads) >= 128 ? 3 * threads : threads;
    int chunk = (size + blocks - 1) / blocks;
    return (chunk + align - 1) / align * align;
  }

  /** C (+)= op(A)·op(B) on the calling thread only. */
  public static void gemmSerial(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
    blocked(Backend.vector(), transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
  }

  /** The blocked product with the vector microkernel or its scalar twin (package-private so tests can run both). */
  static void blocked(boolean vector, boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
      if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
      return;
    }
    int nr = nr();
    Scratch s = SCRATCH.get();
    for (int jc = 0; jc < n; jc += NC) {
      int nc = Math.min(NC, n - jc);
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        packB(transB, b, bOff, ldb, pc, kc, jc, nc, nr, s.b);
        boolean add = accumulate || pc > 0;
        for (int ic = 0; ic < m; ic += MC) {
          int mc = Math.min(MC, m - ic);
          packA(transA, a, aOff, lda, ic, mc, pc, kc, s.a);
          for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
              int rows = Math.min(MR, mc - ir);
              int ci = cOff + (ic + ir) * ldc + jc + jr;
              if (rows == MR && cols == nr) {
                if (vector) kernelVector(kc, s.a, ir * kc, s.b, jr * kc, c, ci, ldc, add);
                else kernelScalar(kc, s.a, ir * kc, s.b, jr * kc, c, ci, ldc, add, nr);
              } else {
                // Edge tile: compute the full zero-padded tile aside, then add/copy the part that exists.
                if (vector) kernelVector(kc, s.a, ir * kc, s.b, jr * kc, s.tile, 0, nr, false);
                else kernelScalar(kc, s.a, ir * kc, s.b, jr * kc, s.tile, 0, nr, false, nr);
                for (int i = 0; i < rows; i++) {
                  int row = ci + i * ldc;
                  for (int j = 0; j < cols; j++) c[row + j] = add ? c[row + j] + s.tile[i * nr + j] : s.tile[i * nr + j];
                }
              }
            }
          }
        }
      }
    }
  }

  /** Packs op(A)[ic..ic+mc, pc..pc+kc) into row panels: panel r holds element (i, p) at r·MR·kc + p·MR + i. */
  private static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] ap) {
    for (int ir = 0; ir < mc; ir += MR) {
      int rows = Math.min(MR, mc - ir);
      int base = ir * kc;
      if (transA) {
        for (int p = 0; p < kc; p++) {
          int src = aOff + (pc + p) * lda + ic + ir;
          int dst = base + p * MR;
          System.arraycopy(a, src, ap, dst, rows);
          for (int i = rows; i < MR; i++) ap[dst + i] = 0f;
        }
      } else {
        for (int i = 0; i < MR; i++) {
          if (i < rows) {
            int src = aOff + (ic + ir + i) * lda + pc;
            for (int p = 0; p < kc; p++) ap[base + p * MR + i] = a[src + p];
          } else {
            for (int p = 0; p < kc; p++) ap[base + p * MR + i] = 0f;
          }
        }
      }
    }
  }

  /** Packs op(B)[pc..pc+kc, jc..jc+nc) into column panels: panel q holds element (p, j) at q·NR·kc + p·NR + j. */
  private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, int nr,
      float[] bp) {
    for (int jr = 0; jr < nc; jr += nr) {
      int cols = Math.min(nr, nc - jr);
      int base = jr * kc;
      if (!transB) {
        for (int p = 0; p < kc; p++) {
          int src = bOff + (pc + p) * ldb + jc + jr;
          int dst = base + p * nr;
          System.arraycopy(b, src, bp, dst, cols);
          for (int j = cols; j < nr; j++) bp[dst + j] = 0f;
        }
      } else {
        for (int j = 0; j < nr; j++) {
          if (j < cols) {
            int src = bOff + (jc + jr + j) * ldb + pc;
            for (int p = 0; p < kc; p++) bp[base + p * nr + j] = b[src + p];
          } else {
            for (int p = 0; p < kc; p++) bp[base + p * nr + j] = 0f;
          }
        }
      }
    }
  }

  /**
   * The 8 × 2-vector microkernel: for each k, two vector loads of B and eight broadcasts of A feed sixteen independent
   * FMAs (enough to hide the FMA latency on two pipes). Accumulators are named locals so the JIT keeps them in registers.
   */
  static void kernelVector(int kc, float[] ap, int aBase, float[] bp, int bBase, float[] c, int ci, int ldc,
      boolean add) {
    VectorSpecies<Float> s = V.S;
    int l = V.L;
    int nr = 2 * l;
    FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s), c10 = FloatVector.zero(s), c11 = FloatVector.zero(s);
    FloatVector c20 = FloatVector.zero(s), c21 = FloatVector.zero(s), c30 = FloatVector.zero(s), c31 = FloatVector.zero(s);
    FloatVector c40 = FloatVector.zero(s), c41 = FloatVector.zero(s), c50 = FloatVector.zero(s), c51 = FloatVector.zero(s);
    FloatVector c60 = FloatVector.zero(s), c61 = FloatVector.zero(s), c70 = FloatVector.zero(s), c71 = FloatVector.zero(s);
    for (int p = 0; p < kc; p++) {
      int bi = bBase + p * nr;
      int ai = aBase + p * MR;
      FloatVector b0 = FloatVector.fromArray(s, bp, bi);
      FloatVector b1 = FloatVector.fromArray(s, bp, bi + l);
      FloatVector a = FloatVector.broadcast(s, ap[ai]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(s, ap[ai + 1]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(s, ap[ai + 2]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(s, ap[ai + 3]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      a = FloatVector.broadcast(s, ap[ai + 4]);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = FloatVector.broadcast(s, ap[ai + 5]);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
      a = FloatVector.broadcast(s, ap[ai + 6]);
      c60 = a.fma(b0, c60);
      c61 = a.fma(b1, c61);
      a = FloatVector.broadcast(s, ap[ai + 7]);
      c70 = a.fma(b0, c70);
      c71 = a.fma(b1, c71);
    }
    // Stores written out rather than in a helper: a vector passed to a method the JIT does not inline is boxed on the
    // heap, which costs more than the whole k loop.
    if (add) {
      c00 = c00.add(FloatVector.fromArray(s, c, ci));
      c01 = c01.add(FloatVector.fromArray(s, c, ci + l));
      c10 = c10.add(FloatVector.fromArray(s, c, ci + ldc));
      c11 = c11.add(FloatVector.fromArray(s, c, ci + ldc + l));
      c20 = c20.add(FloatVector.fromArray(s, c, ci + 2 * ldc));
      c21 = c21.add(FloatVector.fromArray(s, c, ci + 2 * ldc + l));
      c30 = c30.add(FloatVector.fromArray(s, c, ci + 3 * ldc));
      c31 = c31.add(FloatVector.fromArray(s, c, ci + 3 * ldc + l));
      c40 = c40.add(FloatVector.fromArray(s, c, ci + 4 * ldc));
      c41 = c41.add(FloatVector.fromArray(s, c, ci + 4 * ldc + l));
      c50 = c50.add(FloatVector.fromArray(s, c, ci + 5 * ldc));
      c51 = c51.add(FloatVector.fromArray(s, c, ci + 5 * ldc + l));
      c60 = c60.add(FloatVector.fromArray(s, c, ci + 6 * ldc));
      c61 = c61.add(FloatVector.fromArray(s, c, ci + 6 * ldc + l));
      c70 = c70.add(FloatVector.fromArray(s, c, ci + 7 * ldc));
      c71 = c71.add(FloatVector.fromArray(s, c, ci + 7 * ldc + l));
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + l);
    c10.intoArray(c, ci + ldc);
    c11.intoArray(c, ci + ldc + l);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + l);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + l);
    c40.intoArray(c, ci + 4 * ldc);
    c41.intoArray(c, ci + 4 * ldc + l);
    c50.intoArray(c, ci + 5 * ldc);
    c51.intoArray(c, ci + 5 * ldc + l);
    c60.intoArray(c, ci + 6 * ldc);
    c61.intoArray(c, ci + 6 * ldc + l);
    c70.intoArray(c, ci + 7 * ldc);
    c71.intoArray(c, ci + 7 * ldc + l);
  }

  /** Scalar twin of {@link #kernelVector}: the same MR × nr tile from the same packed panels. */
  static void kernelScalar(int kc, float[] ap, int aBase, float[] bp, int bBase, float[] c, int ci, int ldc,
      boolean add, int nr) {
    float[] acc = new float[MR * nr];
    for (int p = 0; p < kc; p++) {
      int bi = bBase + p * nr;
      int ai = aBase + p * MR;
      for (int i = 0; i < MR; i++) {
        float a = ap[ai + i];
        for (int j = 0; j < nr; j++) acc[i * nr + j] += a * bp[bi + j];
      }
    }
    for (int i = 0; i < MR; i++) {
      for (int j = 0; j < nr; j++) {
        int at = ci + i * ldc + j;
        c[at] = add ? c[at] + acc[i * nr + j] : acc[i * nr + j];
      }
    }
  }

  /** The plain triple loop (double accumulation): the reference the blocked kernels are tested against. */
  public static void gemmNaive(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
          float x = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          float y = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          sum += (double) x * y;
        }
        int at = cOff + i * ldc + j;
        c[at] = (float) (accumulate ? c[at] + sum : sum);
      }
    }
  }
}
