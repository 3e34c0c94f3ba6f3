package org.eef4j.engine.model;

import java.util.Arrays;
import org.eef4j.engine.kernel.VectorOps;
import org.eef4j.engine.kernel.WorkerPool;

/** The SwiGLU gate: {@code act = silu(gate) ⊙ up}, element-wise over n values. */
final class SwiGlu {

  private SwiGlu() {}

  static void forward(float[] act, float[] gate, float[] up, int n) {
    WorkerPool.shared().parallelRange(n, 1 << 14, (i0, i1) -> VectorOps.swiGlu(act, i0, gate, i0, up, i0, i1 - i0));
  }

  /** dGate and dUp are overwritten from dAct. */
  static void backward(float[] dGate, float[] dUp, float[] dAct, float[] gate, float[] up, int n) {
    WorkerPool.shared().parallelRange(n, 1 << 14, (i0, i1) -> {
      Arrays.fill(dGate, i0, i1, 0f);
      Arrays.fill(dUp, i0, i1, 0f);
      VectorOps.swiGluBackward(dGate, i0, dUp, i0, dAct, i0, gate, i0, up, i0, i1 - i0);
    });
  }
}
