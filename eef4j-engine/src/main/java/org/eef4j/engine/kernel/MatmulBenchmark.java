package org.eef4j.engine.kernel;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Measures {@link Gemm#gemm} in GFLOP/s on a square product (a figure for benchmarks, never asserted in tests). */
public final class MatmulBenchmark {

  private MatmulBenchmark() {}

  /**
   * Rates of timed runs: median GFLOP/s of wall-clock time, and GFLOP per second of this process's CPU time (per-core
   * efficiency, which stays meaningful when other processes share the cores; NaN when too short to measure).
   */
  public record Result(int n, double gflops, double gflopsPerCoreCpu) {}

  /** Median GFLOP/s of {@code reps} timed runs of C = A·Bᵀ with n×n matrices, after warm-up. */
  public static double gflops(int n, int reps) {
    return run(n, reps).gflops();
  }

  public static Result run(int n, int reps) {
    SplittableRandom r = new SplittableRandom(1);
    float[] a = new float[n * n];
    float[] b = new float[n * n];
    float[] c = new float[n * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextDouble(-1, 1);
      b[i] = (float) r.nextDouble(-1, 1);
    }
    for (int i = 0; i < 3; i++) Gemm.gemm(false, true, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
    double[] t = new double[reps];
    long c0 = CpuTime.processNanos();
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      Gemm.gemm(false, true, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
      t[i] = (System.nanoTime() - t0) / 1e9;
    }
    // CPU time over all runs together: the clock behind it ticks too coarsely to time one small product
    double cpu = (CpuTime.processNanos() - c0) / 1e9;
    Arrays.sort(t);
    double flops = 2.0 * n * n * n;
    double perCore = cpu > 0 ? flops * reps / cpu / 1e9 : Double.NaN;
    return new Result(n, flops / t[reps / 2] / 1e9, perCore);
  }

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
    Result r = run(n, 15);
    System.out.printf("matmul %d^3 (%s, %d threads): %.1f GFLOP/s, %.1f GFLOP per core-second of CPU%n", n,
        Backend.describe(), WorkerPool.shared().threads(), r.gflops(), r.gflopsPerCoreCpu());
  }
}
