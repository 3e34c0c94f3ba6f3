package org.eef4j.engine.generate;

import org.eef4j.engine.kernel.VectorOps;

/**
 * The element-wise and reduction steps of inference, on the engine's kernels: their results depend neither on the JIT
 * (a reply must not depend on how warm the JVM was) nor on the machine's vector width (see {@link VectorOps}).
 */
final class InferenceOps {

  private InferenceOps() {}

  /** Σ x[i]². */
  static float sumSquares(float[] x, int off, int n) {
    return VectorOps.sumSquares(x, off, n);
  }

  /** {@code out[i] = silu(g[i])·u[i]}, silu(z) = z·σ(z). */
  static void swiGlu(float[] out, float[] g, float[] u, int off, int n) {
    VectorOps.swiGlu(out, off, g, off, u, off, n);
  }

  /** Softmax of {@code x[off, off + n)·scale} in place. */
  static void softmax(float[] x, int off, int n, float scale) {
    VectorOps.scale(x, off, n, scale);
    float max = VectorOps.max(x, off, n);
    double sum = VectorOps.expShift(x, off, n, max);
    VectorOps.scale(x, off, n, (float) (1.0 / sum));
  }
}
