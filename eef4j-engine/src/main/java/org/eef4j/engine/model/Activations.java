package org.eef4j.engine.model;

/**
 * What the forward pass keeps for the backward pass, for one batch shape, plus the backward pass's own buffers
 * (allocated on first use so that inference pays nothing for them). Each array holds one layer's tensor, token-major:
 * T = batch·seq rows. Reused from step to step, so training allocates nothing large after the first step.
 */
public final class Activations {

  final int batch;
  final int seq;
  final int tokens;
  final Rope.Table rope;
  /** Residual stream entering each layer, and after the last one: (L+1) × [T×H]. */
  final float[][] x;
  /** Residual stream between attention and MLP: L × [T×H]. */
  final float[][] xMid;
  final float[][] h1;
  final float[][] rstd1;
  final float[][] q;
  final float[][] k;
  final float[][] v;
  /** Attention probabilities: L × [B×heads×S×S]. */
  final float[][] p;
  final float[][] ctx;
  final float[][] h2;
  final float[][] rstd2;
  final float[][] gate;
  final float[][] up;
  final float[][] act;
  final float[] hFinal;
  final float[] rstdFinal;
  /** Logits [T×V]; backward overwrites them with their gradient. */
  final float[] logits;
  final float[] lse;

  float[] dx;
  float[] dh;
  float[] dq;
  float[] dk;
  float[] dv;
  float[] dctx;
  float[] dgate;
  float[] dup;
  float[] dact;

  Activations(ModelConfig c, int batch, int seq) {
    if (seq > c.maxPositionEmbeddings()) {
      throw new IllegalArgumentException("sequence of " + seq + " exceeds max_position_embeddings "
          + c.maxPositionEmbeddings());
    }
    this.batch = batch;
    this.seq = seq;
    this.tokens = batch * seq;
    int t = tokens;
    int h = c.hiddenSize();
    int layers = c.numLayers();
    long probs = (long) batch * c.numHeads() * seq * seq;
    if (probs > Integer.MAX_VALUE - 16 || (long) t * c.vocabSize() > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("batch " + batch + "×" + seq + " is too large for one array per tensor");
    }
    rope = Rope.table(0, seq, c.headDim(), c.ropeTheta());
    x = new float[layers + 1][t * h];
    xMid = new float[layers][t * h];
    h1 = new float[layers][t * h];
    rstd1 = new float[layers][t];
    q = new float[layers][t * c.qDim()];
    k = new float[layers][t * c.kvDim()];
    v = new float[layers][t * c.kvDim()];
    p = new float[layers][(int) probs];
    ctx = new float[layers][t * c.qDim()];
    h2 = new float[layers][t * h];
    rstd2 = new float[layers][t];
    gate = new float[layers][t * c.intermediateSize()];
    up = new float[layers][t * c.intermediateSize()];
    act = new float[layers][t * c.intermediateSize()];
    hFinal = new float[t * h];
    rstdFinal = new float[t];
    logits = new float[t * c.vocabSize()];
    lse = new float[t];
  }

  void ensureBackwardBuffers(ModelConfig c) {
    if (dx != null) return;
    int t = tokens;
    dx = new float[t * c.hiddenSize()];
    dh = new float[t * c.hiddenSize()];
    dq = new float[t * c.qDim()];
    dk = new float[t * c.kvDim()];
    dv = new float[t * c.kvDim()];
    dctx = new float[t * c.qDim()];
    dgate = new float[t * c.intermediateSize()];
    dup = new float[t * c.intermediateSize()];
    dact = new float[t * c.intermediateSize()];
  }

  public int batch() {
    return batch;
  }

  public int seq() {
    return seq;
  }

  /** The logits of the last forward pass, [batch·seq × vocab] (until a backward pass turns them into gradients). */
  public float[] logits() {
    return logits;
  }
}
