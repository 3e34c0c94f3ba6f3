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

  /** System property forcing the microkernel's rows: 4, 6 or 8 (the default follows the vector registers, see {@link #MR}). */
  public static final String ROWS_PROPERTY = "eef4j.gemm.rows";
  /**
   * Rows of C per microkernel call, chosen once from the machine: the tile's 2·MR accumulators, the two B vectors and
   * the broadcast A value must all stay in registers. 6 on x86 (15 registers in use): with AVX2's 16 registers 8 rows
   * would spill accumulators on every k, and with AVX-512's 32 the 6-row tile measured 1.01-1.08x the 8-row one (single
   * thread, CPU time, Zen 4, docs/engine-kernels.md), its six A rows read in place needing fewer address registers.
   * 8 on AArch64 (32 NEON registers, 19 in use; not measured).
   */
  static final int MR = chooseRows();
  /**
   * Depth of one k block: each output is the sum of its KC-long FMA chains, each started from zero and run in k order,
   * added to C in k order. Fixed whatever the tile, width or grouping, so that an output's bits do not depend on them.
   */
  static final int KC = 256;
  /**
   * k blocks packed and run together: the kernel runs them one after another on the same tile of C, which stays in L1
   * after the first instead of being fetched from memory once per block (single thread, CPU time, AVX-512: 1.06-1.14x
   * on 1024³ and on the student's and the 0.5B shape's products against one block at a time; 8 gained nothing more).
   */
  static final int KG = 4;
  /** Rows of A in one task (about 128 × KG·KC floats = 512 KB, L2-resident), a whole number of tiles. */
  static final int MC = 128 / MR * MR;
  /** Floats of B packed at once (4 MB, L3): KG·KC × NC columns, so NC = 1024 when k ≥ 1024 and wider below. */
  static final int B_FLOATS = 1 << 20;
  /**
   * Padding of a packed A row past its KG·KC floats: rows 4 KB apart (1024 floats) all fall in one L1 set, and the
   * kernel's MR broadcasts per k then evict each other (unpadded, 1024³ with A transposed ran 1.13x slower).
   */
  static final int PAD = 16;

  private Gemm() {}

  /** Lanes of a vector; NR = 2 vectors. Kept in a holder so the class loads without the incubator module. */
  private static final class V {
    static final VectorSpecies<Float> S = Lanes.SPECIES;
    static final int L = Lanes.LENGTH;
  }

  private static int nr() {
    return Backend.vector() ? 2 * V.L : 16;
  }

  private static int chooseRows() {
    String forced = System.getProperty(ROWS_PROPERTY, "").trim();
    if (!forced.isEmpty()) {
      return switch (forced) {
        case "4" -> 4;
        case "6" -> 6;
        case "8" -> 8;
        default -> throw new IllegalArgumentException("-D" + ROWS_PROPERTY + "=" + forced + ": expected 4, 6 or 8");
      };
    }
    return System.getProperty("os.arch", "").equals("aarch64") ? 8 : 6;
  }

  /** The register tile for benchmark output, e.g. "6×16 (6 rows × 2 vectors of 8 floats)". */
  public static String describeTile() {
    int nr = nr();
    return Backend.vector()
        ? MR + "×" + nr + " (" + MR + " rows × 2 vectors of " + V.L + " floats)"
        : MR + "×" + nr + " (scalar)";
  }

  private record Scratch(float[] a, float[] b, float[] tile) {}

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(() -> {
    int nr = nr();
    return new Scratch(new float[MC * (KG * KC + PAD)], new float[B_FLOATS + nr * KG * KC], new float[MR * nr]);
  });

  /** C (+)= op(A)·op(B) over the shared worker pool. */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
    WorkerPool pool = WorkerPool.shared();
    boolean serial = pool.threads() == 1 || (long) m * n * k < 32L * 32 * 32;
    blocked(Backend.vector(), serial ? null : pool, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc,
        accumulate);
  }

  /** C (+)= op(A)·op(B) on the calling thread only. */
  public static void gemmSerial(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
    blocked(Backend.vector(), null, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
  }

  /**
   * The blocked product with the vector microkernel or its scalar twin (package-private so tests can run both), over
   * {@code pool} or, when it is null, on the calling thread. Per group of KG k blocks and NC columns of B: the B panels
   * are packed once, shared by every task (in parallel, each task a range of panels); then each task takes one MC-row
   * block of A (read in place when row-major, else packed) and runs the microkernel over a range of B panels, every k
   * block of the group on a tile before the next tile. When A has few row blocks the panels are split too, so that
   * small-m products (decoding, a narrow layer) still use every thread.
   */
  static void blocked(boolean vector, WorkerPool pool, boolean transA, boolean transB, int m, int n, int k,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
      if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
      return;
    }
    int nr = nr();
    int threads = pool == null ? 1 : pool.threads();
    float[] bp = SCRATCH.get().b;
    int mBlocks = (m + MC - 1) / MC;
    for (int pc0 = 0; pc0 < k; pc0 += KG * KC) {
      int kg = Math.min(KG * KC, k - pc0);
      int blocks = (kg + KC - 1) / KC;
      int ncMax = Math.max(nr, B_FLOATS / kg / nr * nr);
      int fpc0 = pc0;
      boolean add = accumulate || pc0 > 0;
      for (int jc = 0; jc < n; jc += ncMax) {
        int nc = Math.min(ncMax, n - jc);
        int panels = (nc + nr - 1) / nr;
        int groups = Math.min(panels, Math.max(1, (2 * threads + mBlocks - 1) / mBlocks));
        int perGroup = (panels + groups - 1) / groups;
        int fjc = jc;
        int packTasks = Math.min(panels, 4 * threads);
        int packPer = (panels + packTasks - 1) / packTasks;
        run(pool, (panels + packPer - 1) / packPer, t -> {
          int q0 = t * packPer;
          int q1 = Math.min(panels, q0 + packPer);
          packB(transB, b, bOff, ldb, fpc0, kg, fjc + q0 * nr, Math.min(nc, q1 * nr) - q0 * nr, nr, bp, q0 * nr * kg);
        });
        run(pool, mBlocks * groups, task -> {
          int ic = (task / groups) * MC;
          int g = task % groups;
          int mc = Math.min(MC, m - ic);
          Scratch s = SCRATCH.get();
          // The vector kernel reads whole row panels of a row-major A in place (element (i, p) at i·lda + p); only the
          // ragged last panel is packed. Measured against packing every panel (single thread, CPU time,
          // docs/engine-kernels.md): equal on 1024³, up to 2.4x faster on narrow products (n = 128), where each packed
          // element served few B panels. A transposed A is packed: read in place, each k step would jump a stored row.
          boolean direct = vector && !transA;
          int lp = kg + PAD;
          int full = mc / MR * MR;
          if (!direct) packA(transA, a, aOff, lda, ic, mc, fpc0, kg, s.a, lp);
          else if (full < mc) packA(false, a, aOff, lda, ic + full, mc - full, fpc0, kg, s.a, lp);
          if (!add) { // this task's part of C starts from zero
            int j0 = fjc + Math.min(nc, g * perGroup * nr);
            int j1 = fjc + Math.min(nc, (g + 1) * perGroup * nr);
            for (int i = ic; i < ic + mc; i++) java.util.Arrays.fill(c, cOff + i * ldc + j0, cOff + i * ldc + j1, 0f);
          }
          for (int q = g * perGroup, qEnd = Math.min(panels, (g + 1) * perGroup); q < qEnd; q++) {
            int jr = q * nr;
            int cols = Math.min(nr, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
              int rows = Math.min(MR, mc - ir);
              int ci = cOff + (ic + ir) * ldc + fjc + jr;
              // The tile's A rows: read in place from a row-major A, else from the packed panel (rows kg apart)
              boolean inPlace = direct && rows == MR;
              float[] ar = inPlace ? a : s.a;
              int ai = inPlace ? aOff + (ic + ir) * lda + fpc0 : (direct ? 0 : ir * lp);
              int rs = inPlace ? lda : lp;
              // The group's k blocks in k order, one after another on the same tile of C (which stays in L1 after
              // the first): each adds its own chain to C, as when the blocks were visited one per pass over C.
              for (int h = 0; h < blocks; h++) {
                int kc = Math.min(KC, kg - h * KC);
                int bi = jr * kg + h * KC * nr;
                if (rows == MR && cols == nr) {
                  if (vector) kernelVector(kc, ar, ai + h * KC, rs, bp, bi, c, ci, ldc);
                  else kernelScalar(kc, ar, ai + h * KC, rs, bp, bi, c, ci, ldc, nr);
                } else {
                  // Edge tile: compute the full zero-padded tile aside, then add the part that exists.
                  java.util.Arrays.fill(s.tile, 0f);
                  if (vector) kernelVector(kc, ar, ai + h * KC, rs, bp, bi, s.tile, 0, nr);
                  else kernelScalar(kc, ar, ai + h * KC, rs, bp, bi, s.tile, 0, nr, nr);
                  for (int i = 0; i < rows; i++) {
                    int row = ci + i * ldc;
                    for (int j = 0; j < cols; j++) c[row + j] += s.tile[i * nr + j];
                  }
                }
              }
            }
          }
        });
      }
    }
  }

  private static void run(WorkerPool pool, int tasks, java.util.function.IntConsumer body) {
    if (pool == null) {
      for (int t = 0; t < tasks; t++) body.accept(t);
    } else {
      pool.parallelFor(tasks, body);
    }
  }

  /**
   * Packs op(A)[ic..ic+mc, pc..pc+kc) into rows {@code ld} floats apart (row i at i·ld, kc long), zero rows up to a whole
   * number of tiles, so the kernel reads a packed A as it reads one in place: unit stride along k, rows a stride apart.
   */
  private static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] ap, int ld) {
    int padded = (mc + MR - 1) / MR * MR;
    if (transA) {
      // A is stored transposed: each stored row p holds this block's mc values contiguously.
      Transpose.copy(a, aOff + pc * lda + ic, lda, kc, mc, ap, 0, ld);
    } else {
      for (int i = 0; i < mc; i++) System.arraycopy(a, aOff + (ic + i) * lda + pc, ap, i * ld, kc);
    }
    if (padded > mc) java.util.Arrays.fill(ap, mc * ld, padded * ld, 0f);
  }

  /** Packs op(B)[pc..pc+kc, jc..jc+nc) into column panels from {@code bpOff}: element (p, j) of panel q at q·NR·kc + p·NR + j. */
  private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, int nr,
      float[] bp, int bpOff) {
    if (!transB && Backend.vector()) {
      // Row-major B: walk each stored row once across all panels (two vectors per full panel).
      int l = V.L;
      int full = nc / nr * nr;
      for (int p = 0; p < kc; p++) {
        int src = bOff + (pc + p) * ldb + jc;
        for (int jr = 0; jr < full; jr += nr) {
          int dst = bpOff + jr * kc + p * nr;
          FloatVector.fromArray(V.S, b, src + jr).intoArray(bp, dst);
          FloatVector.fromArray(V.S, b, src + jr + l).intoArray(bp, dst + l);
        }
        if (full < nc) {
          int dst = bpOff + full * kc + p * nr;
          for (int j = 0; j < nr; j++) bp[dst + j] = full + j < nc ? b[src + full + j] : 0f;
        }
      }
      return;
    }
    for (int jr = 0; jr < nc; jr += nr) {
      int cols = Math.min(nr, nc - jr);
      int base = bpOff + jr * kc;
      if (!transB) {
        for (int p = 0; p < kc; p++) {
          int src = bOff + (pc + p) * ldb + jc + jr;
          int dst = base + p * nr;
          for (int j = 0; j < cols; j++) bp[dst + j] = b[src + j];
          for (int j = cols; j < nr; j++) bp[dst + j] = 0f;
        }
      } else {
        // B is stored transposed (row j of storage is column j of op(B)): the panel is the transposed copy of its
        // cols storage rows, padded with zero columns to nr
        Transpose.copy(b, bOff + (jc + jr) * ldb + pc, ldb, cols, kc, bp, base, nr);
        if (cols < nr) {
          for (int p = 0; p < kc; p++) java.util.Arrays.fill(bp, base + p * nr + cols, base + p * nr + nr, 0f);
        }
      }
    }
  }

  /**
   * The MR × 2-vector microkernel: for each k, two vector loads of B and MR broadcasts of A feed 2·MR independent FMAs
   * (enough to hide the FMA latency on two pipes). Accumulators are named locals so the JIT keeps them in registers;
   * {@link #MR} is a constant, so the JIT compiles one branch. One kernel per row count, each written out: the same
   * loop over an array of 2·MR accumulators (MR a constant, the loops fully unrollable) ran at 0.045 of this speed
   * (4.0 against 89.8 GFLOP per CPU-second, 1024³, AVX-512), its vectors boxed on the heap at every k. Always C += tile
   * (the caller zeroes C when it does not accumulate), so the compiled kernel has no branch whose profile could change
   * and send it back to the interpreter. The epilogue too is written out: the same C += tile as a small helper called
   * once per row ran at 0.18 of this speed (16.4 against 93.9, same shape), the kernel compiled, on stack replacement,
   * before the helper's first call had a profile, so the call was not inlined and each vector passed to it was boxed.
   */
  static void kernelVector(int kc, float[] ap, int aBase, int rs, float[] bp, int bBase, float[] c, int ci, int ldc) {
    if (MR == 8) kernel8x2(kc, ap, aBase, rs, bp, bBase, c, ci, ldc);
    else if (MR == 6) kernel6x2(kc, ap, aBase, rs, bp, bBase, c, ci, ldc);
    else kernel4x2(kc, ap, aBase, rs, bp, bBase, c, ci, ldc);
  }

  /** The 8 × 2-vector kernel over the 8 × kc block of A whose element (i, p) is {@code ap[aBase + i·rs + p]}. */
  static void kernel8x2(int kc, float[] ap, int aBase, int rs, float[] bp, int bBase, float[] c, int ci, int ldc) {
    VectorSpecies<Float> s = V.S;
    int l = V.L;
    int nr = 2 * l;
    FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s), c10 = FloatVector.zero(s), c11 = FloatVector.zero(s);
    FloatVector c20 = FloatVector.zero(s), c21 = FloatVector.zero(s), c30 = FloatVector.zero(s), c31 = FloatVector.zero(s);
    FloatVector c40 = FloatVector.zero(s), c41 = FloatVector.zero(s), c50 = FloatVector.zero(s), c51 = FloatVector.zero(s);
    FloatVector c60 = FloatVector.zero(s), c61 = FloatVector.zero(s), c70 = FloatVector.zero(s), c71 = FloatVector.zero(s);
    for (int p = 0; p < kc; p++) {
      int bi = bBase + p * nr;
      int ai = aBase + p;
      FloatVector b0 = FloatVector.fromArray(s, bp, bi);
      FloatVector b1 = FloatVector.fromArray(s, bp, bi + l);
      FloatVector a = FloatVector.broadcast(s, ap[ai]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(s, ap[ai + 1 * rs]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(s, ap[ai + 2 * rs]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(s, ap[ai + 3 * rs]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      a = FloatVector.broadcast(s, ap[ai + 4 * rs]);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = FloatVector.broadcast(s, ap[ai + 5 * rs]);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
      a = FloatVector.broadcast(s, ap[ai + 6 * rs]);
      c60 = a.fma(b0, c60);
      c61 = a.fma(b1, c61);
      a = FloatVector.broadcast(s, ap[ai + 7 * rs]);
      c70 = a.fma(b0, c70);
      c71 = a.fma(b1, c71);
    }
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

  /** The 6 × 2-vector kernel over the 6 × kc block of A whose element (i, p) is {@code ap[aBase + i·rs + p]}. */
  static void kernel6x2(int kc, float[] ap, int aBase, int rs, float[] bp, int bBase, float[] c, int ci, int ldc) {
    VectorSpecies<Float> s = V.S;
    int l = V.L;
    int nr = 2 * l;
    FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s), c10 = FloatVector.zero(s), c11 = FloatVector.zero(s);
    FloatVector c20 = FloatVector.zero(s), c21 = FloatVector.zero(s), c30 = FloatVector.zero(s), c31 = FloatVector.zero(s);
    FloatVector c40 = FloatVector.zero(s), c41 = FloatVector.zero(s), c50 = FloatVector.zero(s), c51 = FloatVector.zero(s);
    for (int p = 0; p < kc; p++) {
      int bi = bBase + p * nr;
      int ai = aBase + p;
      FloatVector b0 = FloatVector.fromArray(s, bp, bi);
      FloatVector b1 = FloatVector.fromArray(s, bp, bi + l);
      FloatVector a = FloatVector.broadcast(s, ap[ai]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(s, ap[ai + 1 * rs]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(s, ap[ai + 2 * rs]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(s, ap[ai + 3 * rs]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      a = FloatVector.broadcast(s, ap[ai + 4 * rs]);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = FloatVector.broadcast(s, ap[ai + 5 * rs]);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
    }
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
  }

  /**
   * The 4 × 2-vector kernel over the 4 × kc block of A whose element (i, p) is {@code ap[aBase + i·rs + p]}: C[4 × 2L]
   * at ci (rows ldc apart) += the block's FMA chains. Public for PackedLinear, whose inference tile it is too.
   */
  public static void kernel4x2(int kc, float[] ap, int aBase, int rs, float[] bp, int bBase, float[] c, int ci, int ldc) {
    VectorSpecies<Float> s = V.S;
    int l = V.L;
    int nr = 2 * l;
    FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s), c10 = FloatVector.zero(s), c11 = FloatVector.zero(s);
    FloatVector c20 = FloatVector.zero(s), c21 = FloatVector.zero(s), c30 = FloatVector.zero(s), c31 = FloatVector.zero(s);
    for (int p = 0; p < kc; p++) {
      int bi = bBase + p * nr;
      int ai = aBase + p;
      FloatVector b0 = FloatVector.fromArray(s, bp, bi);
      FloatVector b1 = FloatVector.fromArray(s, bp, bi + l);
      FloatVector a = FloatVector.broadcast(s, ap[ai]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(s, ap[ai + 1 * rs]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(s, ap[ai + 2 * rs]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(s, ap[ai + 3 * rs]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
    }
    c00 = c00.add(FloatVector.fromArray(s, c, ci));
    c01 = c01.add(FloatVector.fromArray(s, c, ci + l));
    c10 = c10.add(FloatVector.fromArray(s, c, ci + ldc));
    c11 = c11.add(FloatVector.fromArray(s, c, ci + ldc + l));
    c20 = c20.add(FloatVector.fromArray(s, c, ci + 2 * ldc));
    c21 = c21.add(FloatVector.fromArray(s, c, ci + 2 * ldc + l));
    c30 = c30.add(FloatVector.fromArray(s, c, ci + 3 * ldc));
    c31 = c31.add(FloatVector.fromArray(s, c, ci + 3 * ldc + l));
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + l);
    c10.intoArray(c, ci + ldc);
    c11.intoArray(c, ci + ldc + l);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + l);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + l);
  }

  /** Scalar twin of {@link #kernelVector}: the same MR × nr tile from the same panels, each output's FMAs in k order. */
  static void kernelScalar(int kc, float[] ap, int aBase, int rs, float[] bp, int bBase, float[] c, int ci, int ldc,
      int nr) {
    float[] acc = new float[MR * nr];
    for (int p = 0; p < kc; p++) {
      int bi = bBase + p * nr;
      for (int i = 0; i < MR; i++) {
        float a = ap[aBase + i * rs + p];
        for (int j = 0; j < nr; j++) acc[i * nr + j] = Math.fma(a, bp[bi + j], acc[i * nr + j]);
      }
    }
    for (int i = 0; i < MR; i++) {
      for (int j = 0; j < nr; j++) {
        int at = ci + i * ldc + j;
        c[at] += acc[i * nr + j];
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
