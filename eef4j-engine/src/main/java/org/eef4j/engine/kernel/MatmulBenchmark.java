package org.eef4j.engine.kernel;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Measures {@link Gemm#gemm} in GFLOP/s on a square product (a figure for benchmarks, never asserted in tests). */
public final class MatmulBenchmark {

  private MatmulBenchmark() {}

  /** Median GFLOP/s of {@code reps} timed runs of C = A·Bᵀ with n×n matrices, after warm-up. */
  public static double gflops(int n, int reps) {
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
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      Gemm.gemm(false, true, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
      t[i] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(t);
    return 2.0 * n * n * n / t[reps / 2] / 1e9;
  }

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
    System.out.printf("matmul %d^3 (%s, %d threads): %.1f GFLOP/s%n", n, Backend.describe(),
        WorkerPool.shared().threads(), gflops(n, 15));
  }
}
