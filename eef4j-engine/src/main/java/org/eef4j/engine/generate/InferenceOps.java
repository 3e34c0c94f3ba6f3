package org.eef4j.engine.generate;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.eef4j.engine.kernel.Backend;
import org.eef4j.engine.kernel.VectorOps;

/**
 * The element-wise and reduction steps of inference, written so that their results do not depend on the JIT: only
 * lane-wise multiplies, adds and FMAs (exact in the interpreter and in compiled code alike), reductions finished in a
 * fixed order, and exponentials through {@link Math#exp} (whose interpreter and compiled forms agree). The Vector API's
 * own {@code reduceLanes(ADD)} and {@code EXP} may round differently before and after C2 compiles them, which would let
 * a reply depend on how warm the JVM was, so generation does not use them; training does not care.
 */
final class InferenceOps {

  private InferenceOps() {}

  private static final class V {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  }

  /** Σ x[i]², lane-wise FMAs then the lanes summed in order. */
  static float sumSquares(float[] x, int off, int n) {
    return Backend.vector() ? sumSquaresVector(x, off, n) : sumSquaresScalar(x, off, n);
  }

  static float sumSquaresVector(float[] x, int off, int n) {
    VectorSpecies<Float> s = V.S;
    FloatVector acc = FloatVector.zero(s);
    int i = 0;
    for (int bound = s.loopBound(n); i < bound; i += s.length()) {
      FloatVector v = FloatVector.fromArray(s, x, off + i);
      acc = v.fma(v, acc);
    }
    float[] lanes = new float[s.length()];
    acc.intoArray(lanes, 0);
    float sum = 0;
    for (float l : lanes) sum += l;
    for (; i < n; i++) sum += x[off + i] * x[off + i];
    return sum;
  }

  static float sumSquaresScalar(float[] x, int off, int n) {
    float sum = 0;
    for (int i = 0; i < n; i++) sum += x[off + i] * x[off + i];
    return sum;
  }

  /** {@code out[i] = silu(g[i])·u[i]}, silu(z) = z·σ(z), σ in double through Math.exp (as the scalar kernels do). */
  static void swiGlu(float[] out, float[] g, float[] u, int off, int n) {
    for (int i = off; i < off + n; i++) {
      float z = g[i];
      float sig = (float) (1.0 / (1.0 + Math.exp(-z)));
      out[i] = z * sig * u[i];
    }
  }

  /** Softmax of {@code x[off, off + n)·scale} in place. */
  static void softmax(float[] x, int off, int n, float scale) {
    VectorOps.scale(x, off, n, scale);
    float max = VectorOps.max(x, off, n);
    double sum = 0;
    for (int i = off; i < off + n; i++) {
      float e = (float) Math.exp(x[i] - max);
      x[i] = e;
      sum += e;
    }
    VectorOps.scale(x, off, n, (float) (1.0 / sum));
  }
}
