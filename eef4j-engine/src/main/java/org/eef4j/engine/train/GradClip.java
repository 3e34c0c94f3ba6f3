package org.eef4j.engine.train;

import org.eef4j.engine.model.Parameters;

/** Global-norm gradient clipping as torch.nn.utils.clip_grad_norm_ does it (L2 norm over every gradient together). */
public final class GradClip {

  private GradClip() {}

  /** The L2 norm of all gradients, summed in double. */
  public static double norm(Parameters grads) {
    return norm(grads.data());
  }

  public static double norm(float[] grads) {
    double sum = 0;
    for (float g : grads) sum += (double) g * g;
    return Math.sqrt(sum);
  }

  /**
   * Scales the gradients by {@code maxNorm / (norm + 1e-6)} when that is below 1 (PyTorch's coefficient) and returns the
   * norm before clipping; a non-finite norm is returned as is, leaving the gradients untouched for the caller to judge.
   */
  public static double clip(Parameters grads, double maxNorm) {
    return clip(grads.data(), maxNorm);
  }

  /** {@link #clip(Parameters, double)} over a flat array. */
  public static double clip(float[] g, double maxNorm) {
    if (!(maxNorm > 0)) throw new IllegalArgumentException("max norm must be positive, got " + maxNorm);
    double norm = norm(g);
    if (!Double.isFinite(norm)) return norm;
    double coef = maxNorm / (norm + 1e-6);
    if (coef < 1) {
      float c = (float) coef;
      for (int i = 0; i < g.length; i++) g[i] *= c;
    }
    return norm;
  }
}
