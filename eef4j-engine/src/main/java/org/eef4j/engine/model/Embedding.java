package org.eef4j.engine.model;

import org.eef4j.engine.kernel.VectorOps;

/** Token embedding lookup: row {@code ids[t]} of E[V×H]. */
final class Embedding {

  private Embedding() {}

  static void forward(float[] x, float[] w, int eOff, int[] ids, int tokens, int h) {
    for (int t = 0; t < tokens; t++) System.arraycopy(w, eOff + ids[t] * h, x, t * h, h);
  }

  /** dE[ids[t]] += dx[t]; serial, because two tokens may share a row. */
  static void backward(float[] g, int eOff, float[] dx, int[] ids, int tokens, int h) {
    for (int t = 0; t < tokens; t++) VectorOps.axpy(1f, dx, t * h, g, eOff + ids[t] * h, h);
  }
}
