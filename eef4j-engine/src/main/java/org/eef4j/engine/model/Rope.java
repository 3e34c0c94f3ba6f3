package org.eef4j.engine.model;

import org.eef4j.engine.kernel.VectorOps;
import org.eef4j.engine.kernel.WorkerPool;

/**
 * Rotary position embeddings in Hugging Face's rotate-half convention: within each head the pair (x[i], x[i + d/2]) is
 * rotated by the angle {@code pos · θ^(−2i/d)}. The table holds cos and sin per position and pair index.
 */
public final class Rope {

  /** cos/sin [positions × d/2] for positions {@code start .. start + count}. */
  public record Table(int start, int count, int half, float[] cos, float[] sin) {}

  private Rope() {}

  /**
   * Angles computed as PyTorch computes them, in float32: inverse frequencies {@code 1/θ^(2i/d)}, then position times
   * frequency, so that cos/sin agree with the reference to the last bit or so.
   */
  public static Table table(int start, int count, int headDim, double theta) {
    int half = headDim / 2;
    float[] inv = new float[half];
    for (int i = 0; i < half; i++) inv[i] = (float) (1.0 / StrictMath.pow(theta, (float) (2 * i) / headDim));
    float[] cos = new float[count * half];
    float[] sin = new float[count * half];
    for (int p = 0; p < count; p++) {
      for (int i = 0; i < half; i++) {
        float angle = (float) (start + p) * inv[i];
        cos[p * half + i] = (float) StrictMath.cos(angle);
        sin[p * half + i] = (float) StrictMath.sin(angle);
      }
    }
    return new Table(start, count, half, cos, sin);
  }

  /** Rotates every head of x[T×heads·d] in place; token t sits at table position {@code t % seq}. */
  static void forward(float[] x, int tokens, int seq, int heads, Table tab) {
    rotate(x, tokens, seq, heads, tab, 1f);
  }

  /** Backward of a rotation is the rotation by the opposite angle, applied to the gradient in place. */
  static void backward(float[] dx, int tokens, int seq, int heads, Table tab) {
    rotate(dx, tokens, seq, heads, tab, -1f);
  }

  private static void rotate(float[] x, int tokens, int seq, int heads, Table tab, float sign) {
    int half = tab.half();
    int d = 2 * half;
    if (seq > tab.count()) throw new IllegalArgumentException("rope table covers " + tab.count() + " positions, not " + seq);
    WorkerPool.shared().parallelRange(tokens, 64, (t0, t1) -> {
      for (int t = t0; t < t1; t++) {
        int pos = (t % seq) * half;
        for (int hd = 0; hd < heads; hd++) {
          int base = (t * heads + hd) * d;
          VectorOps.rotate(x, base, base + half, tab.cos(), tab.sin(), pos, sign, half);
        }
      }
    });
  }
}
