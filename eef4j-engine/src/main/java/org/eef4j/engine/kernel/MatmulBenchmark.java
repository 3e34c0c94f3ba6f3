package org.eef4j.engine.kernel;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Measures {@link Gemm#gemm} in GFLOP/s on a product (a figure for benchmarks, never asserted in tests). */
public final class MatmulBenchmark {

  private MatmulBenchmark() {}

  /**
   * Rates of timed runs of C[m×n] = A[m×k]·B[n×k]ᵀ (a linear layer's forward product): median GFLOP/s of wall-clock
   * time, and GFLOP per second of this process's CPU time (per-core efficiency, which stays meaningful when other
   * processes share the cores; NaN when too short to measure).
   */
  public record Result(int m, int n, int k, double gflops, double gflopsPerCoreCpu) {}

  /** Median GFLOP/s of {@code reps} timed runs of C = A·Bᵀ with n×n matrices, after warm-up. */
  public static double gflops(int n, int reps) {
    return run(n, reps).gflops();
  }

  public static Result run(int n, int reps) {
    return run(n, n, n, reps);
  }

  public static Result run(int m, int n, int k, int reps) {
    if (m < 1 || n < 1 || k < 1 || reps < 1) throw new IllegalArgumentException("matmul " + m + "x" + n + "x" + k);
    SplittableRandom r = new SplittableRandom(1);
    float[] a = new float[m * k];
    float[] b = new float[n * k];
    float[] c = new float[m * n];
    for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-1, 1);
    for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble(-1, 1);
    for (int i = 0; i < 3; i++) Gemm.gemm(false, true, m, n, k, a, 0, k, b, 0, k, c, 0, n, false);
    double[] t = new double[reps];
    long c0 = CpuTime.processNanos();
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      Gemm.gemm(false, true, m, n, k, a, 0, k, b, 0, k, c, 0, n, false);
      t[i] = (System.nanoTime() - t0) / 1e9;
    }
    // CPU time over all runs together: the clock behind it ticks too coarsely to time one small product
    double cpu = (CpuTime.processNanos() - c0) / 1e9;
    Arrays.sort(t);
    double flops = 2.0 * m * n * k;
    double perCore = cpu > 0 ? flops * reps / cpu / 1e9 : Double.NaN;
    return new Result(m, n, k, flops / t[reps / 2] / 1e9, perCore);
  }

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
    Result r = run(n, 15);
    System.out.printf("matmul %d^3 (%s, tile %s, %d threads): %.1f GFLOP/s, %.1f GFLOP per core-second of CPU%n", n,
        Backend.describe(), Gemm.describeTile(), WorkerPool.shared().threads(), r.gflops(), r.gflopsPerCoreCpu());
  }
}
