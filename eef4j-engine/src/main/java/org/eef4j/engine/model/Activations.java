package org.eef4j.engine.model;

/**
 * What the forward pass keeps for the backward pass, for one batch shape, plus the backward pass's own buffers
 * (allocated on first use so that inference pays nothing for them). Each array holds one layer's tensor, token-major:
 * T = batch·seq rows. Reused from step to step, so training allocates nothing large after the first step.
 *
 * <p>The buffers may be larger than the current shape ({@link #reshaped}): a batch of T tokens uses the first T rows
 * (and the first batch·heads·seq² probabilities), so that one set serves every batch shape of a run. Why: training
 * batches padded to their own length take dozens of shapes, and a fresh set per shape (hundreds of MB, zeroed, then
 * collected) cost the demo's training more time than its attention softmax. Every kernel writes what it reads within
 * the current shape, so what a larger earlier batch left beyond it is never read.
 */
public final class Activations {

  private final ModelConfig config;
  int batch;
  int seq;
  int tokens;
  /** Rows, probabilities per layer and positions the buffers hold (at least the current shape's). */
  private final int tokenCapacity;
  private final long probCapacity;
  private final int seqCapacity;
  /** cos/sin for positions [0, seqCapacity): a position's entry does not depend on how many the table holds. */
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
  /**
   * After {@link LlamaModel#forwardTargets}: the rows the loss counts ({@code targetRows[0 .. targetCount)}), their
   * final hidden states side by side, and {@code logits} holding their logits row after row; {@code targetCount} is −1
   * after {@link LlamaModel#forward}, whose logits cover every row.
   */
  int targetCount = -1;
  int[] targetRows;
  float[] hTargets;
  float[] dhTargets;
  /**
   * After {@link LlamaModel#forwardTargets} without a hook: the last layer's output part ran at the counted rows only,
   * so its xMid, h2, rstd2, gate, up, act, x[L] and rstdFinal hold those rows side by side, from {@code ctxTargets}.
   */
  boolean lastLayerAtTargets;
  float[] ctxTargets;
  float[] dxTargets;
  float[] dctxTargets;

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
    this(c, batch, seq, batch * seq, probs(c, batch, seq), seq);
  }

  private Activations(ModelConfig c, int batch, int seq, int tokenCapacity, long probCapacity, int seqCapacity) {
    check(c, batch, seq);
    if (probCapacity > Integer.MAX_VALUE - 16 || (long) tokenCapacity * c.vocabSize() > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("batch " + batch + "×" + seq + " is too large for one array per tensor");
    }
    this.config = c;
    this.batch = batch;
    this.seq = seq;
    this.tokens = batch * seq;
    this.tokenCapacity = tokenCapacity;
    this.probCapacity = probCapacity;
    this.seqCapacity = seqCapacity;
    int t = tokenCapacity;
    int h = c.hiddenSize();
    int layers = c.numLayers();
    long probs = probCapacity;
    rope = Rope.table(0, seqCapacity, c.headDim(), c.ropeTheta());
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
    targetRows = new int[t];
    hTargets = new float[t * h];
    ctxTargets = new float[t * c.qDim()];
  }

  private static long probs(ModelConfig c, int batch, int seq) {
    return (long) batch * c.numHeads() * seq * seq;
  }

  private static void check(ModelConfig c, int batch, int seq) {
    if (batch < 1 || seq < 1) throw new IllegalArgumentException("batch " + batch + "×" + seq + " is empty");
    if (seq > c.maxPositionEmbeddings()) {
      throw new IllegalArgumentException("sequence of " + seq + " exceeds max_position_embeddings "
          + c.maxPositionEmbeddings());
    }
  }

  /**
   * Buffers for a batch of {@code batch × seq}: these, set to that shape, when they are large enough; else a new set
   * large enough for this shape and every one these held (so that a run settles on one set after its largest batches).
   */
  public Activations reshaped(int batch, int seq) {
    check(config, batch, seq);
    int t = batch * seq;
    long probs = probs(config, batch, seq);
    if (t <= tokenCapacity && probs <= probCapacity && seq <= seqCapacity) {
      this.batch = batch;
      this.seq = seq;
      this.tokens = t;
      return this;
    }
    return new Activations(config, batch, seq, Math.max(t, tokenCapacity), Math.max(probs, probCapacity),
        Math.max(seq, seqCapacity));
  }

  void ensureBackwardBuffers(ModelConfig c) {
    if (dx != null) return;
    int t = tokenCapacity;
    dx = new float[t * c.hiddenSize()];
    dh = new float[t * c.hiddenSize()];
    dq = new float[t * c.qDim()];
    dk = new float[t * c.kvDim()];
    dv = new float[t * c.kvDim()];
    dctx = new float[t * c.qDim()];
    dgate = new float[t * c.intermediateSize()];
    dup = new float[t * c.intermediateSize()];
    dact = new float[t * c.intermediateSize()];
    dhTargets = new float[t * c.hiddenSize()];
    dxTargets = new float[t * c.hiddenSize()];
    dctxTargets = new float[t * c.qDim()];
  }

  public int batch() {
    return batch;
  }

  public int seq() {
    return seq;
  }

  /**
   * The logits of the last {@link LlamaModel#forward} pass, [batch·seq × vocab] from offset 0 (until a backward pass
   * turns them into gradients); the array may be longer than the current shape.
   */
  public float[] logits() {
    return logits;
  }
}
