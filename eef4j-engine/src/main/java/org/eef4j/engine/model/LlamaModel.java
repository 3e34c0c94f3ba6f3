package org.eef4j.engine.model;

import org.eef4j.engine.kernel.Gemm;
import org.eef4j.engine.kernel.GemmBlocks;
import org.eef4j.engine.kernel.WorkerPool;

/**
 * The Llama-architecture decoder (Llama, Qwen2) over flat {@link Parameters}: forward for a batch, with the masked
 * next-token loss, and the backward pass that accumulates every weight's gradient. Each step below is one op with its
 * own forward/backward pair; the backward pass is the forward's list of ops in reverse.
 */
public final class LlamaModel {

  private final ModelConfig config;
  private final ParamLayout layout;
  private final Parameters params;
  private ProjectionHook hook;

  public LlamaModel(Parameters params) {
    this.params = params;
    this.layout = params.layout();
    this.config = layout.config();
  }

  public ModelConfig config() {
    return config;
  }

  public Parameters parameters() {
    return params;
  }

  /** Adds a path beside every projection (a LoRA adapter), or removes it with null. */
  public void setProjectionHook(ProjectionHook hook) {
    this.hook = hook;
  }

  private void hookForward(int l, ProjectionHook.Projection p, float[] x, float[] y, int t) {
    if (hook != null) hook.forward(l, p, x, y, t);
  }

  private void hookBackward(int l, ProjectionHook.Projection p, float[] x, float[] dy, float[] dx, int t) {
    if (hook != null) hook.backward(l, p, x, dy, dx, t);
  }

  public Activations newActivations(int batch, int seq) {
    return new Activations(config, batch, seq);
  }

  private Attention.Dims dims(Activations a) {
    return new Attention.Dims(a.batch, a.seq, config.numHeads(), config.numKvHeads(), config.headDim());
  }

  private void check(Batch batch, Activations a) {
    if (batch.batch() != a.batch || batch.seq() != a.seq) {
      throw new IllegalArgumentException("batch " + batch.batch() + "×" + batch.seq() + " does not match activations "
          + a.batch + "×" + a.seq);
    }
    for (int id : batch.idsView()) {
      if (id < 0 || id >= config.vocabSize()) {
        throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + config.vocabSize());
      }
    }
  }

  /** Runs the model on the batch, leaving logits and everything backward needs in {@code a}; returns the loss. */
  public double forward(Batch batch, Activations a) {
    layers(batch, a);
    float[] w = params.data();
    int t = a.tokens;
    int h = config.hiddenSize();
    a.targetCount = -1;
    Linear.forward(a.logits, a.hFinal, w, layout.lmHead(), -1, t, h, config.vocabSize(), false);
    return CrossEntropy.forward(a.logits, a.lse, batch.idsView(), batch.maskView(), a.batch, a.seq,
        config.vocabSize());
  }

  /**
   * {@link #forward} for training: the same loss, and the same gradients from {@link #backward}, with the vocabulary
   * head run only at the positions the loss counts. Why: a trained reply is a small part of its conversation (the
   * demo's: an action after a page of observation), and the head with its softmax was a quarter of a step's products
   * spent on logits nothing reads. Each logit is a dot product over the hidden size, so a counted row's logits have
   * the bits the full head gives it; backward's weight gradient takes the head's k blocks as the full product does
   * ({@link GemmBlocks}), the left-out rows' terms being exact zeros. {@link Activations#logits()} then holds the counted
   * rows' logits only, row after row.
   */
  public double forwardTargets(Batch batch, Activations a) {
    layers(batch, a);
    float[] w = params.data();
    int h = config.hiddenSize();
    int n = CrossEntropy.targetRows(batch.maskView(), a.batch, a.seq, a.targetRows);
    a.targetCount = n;
    for (int i = 0; i < n; i++) System.arraycopy(a.hFinal, a.targetRows[i] * h, a.hTargets, i * h, h);
    Linear.forward(a.logits, a.hTargets, w, layout.lmHead(), -1, n, h, config.vocabSize(), false);
    return CrossEntropy.forwardRows(a.logits, a.lse, batch.idsView(), a.targetRows, n, config.vocabSize());
  }

  /** The layers and the final norm: everything up to the head, into {@code a} (hFinal last). */
  private void layers(Batch batch, Activations a) {
    check(batch, a);
    float[] w = params.data();
    int t = a.tokens;
    int h = config.hiddenSize();
    int inter = config.intermediateSize();
    float eps = (float) config.rmsNormEps();
    Attention.Dims d = dims(a);

    Embedding.forward(a.x[0], w, layout.embed(), batch.idsView(), t, h);
    for (int l = 0; l < config.numLayers(); l++) {
      ParamLayout.Layer p = layout.layer(l);
      // attention block: h1 = RMSNorm(x); q, k, v = projections of h1; rotate q and k by position
      RmsNorm.forward(a.h1[l], a.rstd1[l], a.x[l], w, p.inputNorm(), t, h, eps);
      Linear.forward(a.q[l], a.h1[l], w, p.q(), p.qBias(), t, h, config.qDim(), false);
      hookForward(l, ProjectionHook.Projection.Q, a.h1[l], a.q[l], t);
      Linear.forward(a.k[l], a.h1[l], w, p.k(), p.kBias(), t, h, config.kvDim(), false);
      hookForward(l, ProjectionHook.Projection.K, a.h1[l], a.k[l], t);
      Linear.forward(a.v[l], a.h1[l], w, p.v(), p.vBias(), t, h, config.kvDim(), false);
      hookForward(l, ProjectionHook.Projection.V, a.h1[l], a.v[l], t);
      Rope.forward(a.q[l], t, a.seq, config.numHeads(), a.rope);
      Rope.forward(a.k[l], t, a.seq, config.numKvHeads(), a.rope);
      // ctx = softmax(q·kᵀ/√d + causal mask)·v, per head
      Attention.forward(a.ctx[l], a.p[l], a.q[l], a.k[l], a.v[l], d);
      // residual: xMid = x + ctx·W_oᵀ
      System.arraycopy(a.x[l], 0, a.xMid[l], 0, t * h);
      Linear.forward(a.xMid[l], a.ctx[l], w, p.o(), p.oBias(), t, config.qDim(), h, true);
      hookForward(l, ProjectionHook.Projection.O, a.ctx[l], a.xMid[l], t);
      // MLP block: h2 = RMSNorm(xMid); act = silu(h2·W_gateᵀ) ⊙ h2·W_upᵀ
      RmsNorm.forward(a.h2[l], a.rstd2[l], a.xMid[l], w, p.postNorm(), t, h, eps);
      Linear.forward(a.gate[l], a.h2[l], w, p.gate(), -1, t, h, inter, false);
      hookForward(l, ProjectionHook.Projection.GATE, a.h2[l], a.gate[l], t);
      Linear.forward(a.up[l], a.h2[l], w, p.up(), -1, t, h, inter, false);
      hookForward(l, ProjectionHook.Projection.UP, a.h2[l], a.up[l], t);
      SwiGlu.forward(a.act[l], a.gate[l], a.up[l], t * inter);
      // residual: x' = xMid + act·W_downᵀ
      System.arraycopy(a.xMid[l], 0, a.x[l + 1], 0, t * h);
      Linear.forward(a.x[l + 1], a.act[l], w, p.down(), -1, t, inter, h, true);
      hookForward(l, ProjectionHook.Projection.DOWN, a.act[l], a.x[l + 1], t);
    }
    // final norm; the logits over the vocabulary (through the embedding when tied) are the callers'
    int last = config.numLayers();
    RmsNorm.forward(a.hFinal, a.rstdFinal, a.x[last], w, layout.finalNorm(), t, h, eps);
  }

  /**
   * Accumulates {@code lossScale · d loss / d weight} into {@code grads} (+=, so micro-batches add up), after
   * {@link #forward} of the same batch into {@code a}. Overwrites the logits with their gradient.
   */
  public void backward(Batch batch, Activations a, Parameters grads, float lossScale) {
    if (grads.layout() != layout && grads.data().length != layout.size()) {
      throw new IllegalArgumentException("gradients laid out for another model");
    }
    backward(batch, a, grads.data(), lossScale);
  }

  /**
   * Backward through the frozen model for its {@link ProjectionHook} alone (LoRA): gradients flow to every layer's input
   * and the hook accumulates its own, but no weight of the model gets a gradient. That skips each projection's and the
   * head's weight-gradient product {@code dW = dyᵀ·x} (half of backward's matrix products, a third of a training
   * step's), the norms' and the embedding's gradients, and the model-sized gradient buffer itself.
   */
  public void backwardFrozen(Batch batch, Activations a, float lossScale) {
    backward(batch, a, (float[]) null, lossScale);
  }

  /** The backward pass proper; {@code g} null for a frozen model (input gradients only). */
  private void backward(Batch batch, Activations a, float[] g, float lossScale) {
    check(batch, a);
    a.ensureBackwardBuffers(config);
    float[] w = params.data();
    int t = a.tokens;
    int h = config.hiddenSize();
    int inter = config.intermediateSize();
    Attention.Dims d = dims(a);
    int last = config.numLayers();

    if (a.targetCount < 0) {
      CrossEntropy.backward(a.logits, a.lse, batch.idsView(), batch.maskView(), a.batch, a.seq, config.vocabSize(),
          lossScale);
      float[] dLogits = a.logits;
      Linear.backward(a.dh, false, g, layout.lmHead(), -1, dLogits, a.hFinal, w, t, h, config.vocabSize());
    } else {
      headBackwardTargets(batch, a, g, lossScale);
    }
    java.util.Arrays.fill(a.dx, 0, t * h, 0f);
    RmsNorm.backward(a.dx, g, layout.finalNorm(), a.dh, a.x[last], w, a.rstdFinal, t, h);
    for (int l = last - 1; l >= 0; l--) {
      ParamLayout.Layer p = layout.layer(l);
      // a.dx holds d loss / d x[l+1]; through the residual it is also d loss / d xMid
      Linear.backward(a.dact, false, g, p.down(), -1, a.dx, a.act[l], w, t, inter, h);
      hookBackward(l, ProjectionHook.Projection.DOWN, a.act[l], a.dx, a.dact, t);
      SwiGlu.backward(a.dgate, a.dup, a.dact, a.gate[l], a.up[l], t * inter);
      Linear.backward(a.dh, false, g, p.gate(), -1, a.dgate, a.h2[l], w, t, h, inter);
      hookBackward(l, ProjectionHook.Projection.GATE, a.h2[l], a.dgate, a.dh, t);
      Linear.backward(a.dh, true, g, p.up(), -1, a.dup, a.h2[l], w, t, h, inter);
      hookBackward(l, ProjectionHook.Projection.UP, a.h2[l], a.dup, a.dh, t);
      RmsNorm.backward(a.dx, g, p.postNorm(), a.dh, a.xMid[l], w, a.rstd2[l], t, h);
      // a.dx now holds d loss / d xMid; through the residual it is also d loss / d x[l]
      Linear.backward(a.dctx, false, g, p.o(), p.oBias(), a.dx, a.ctx[l], w, t, config.qDim(), h);
      hookBackward(l, ProjectionHook.Projection.O, a.ctx[l], a.dx, a.dctx, t);
      Attention.backward(a.dq, a.dk, a.dv, a.dctx, a.p[l], a.q[l], a.k[l], a.v[l], d);
      Rope.backward(a.dq, t, a.seq, config.numHeads(), a.rope);
      Rope.backward(a.dk, t, a.seq, config.numKvHeads(), a.rope);
      Linear.backward(a.dh, false, g, p.q(), p.qBias(), a.dq, a.h1[l], w, t, h, config.qDim());
      hookBackward(l, ProjectionHook.Projection.Q, a.h1[l], a.dq, a.dh, t);
      Linear.backward(a.dh, true, g, p.k(), p.kBias(), a.dk, a.h1[l], w, t, h, config.kvDim());
      hookBackward(l, ProjectionHook.Projection.K, a.h1[l], a.dk, a.dh, t);
      Linear.backward(a.dh, true, g, p.v(), p.vBias(), a.dv, a.h1[l], w, t, h, config.kvDim());
      hookBackward(l, ProjectionHook.Projection.V, a.h1[l], a.dv, a.dh, t);
      RmsNorm.backward(a.dx, g, p.inputNorm(), a.dh, a.x[l], w, a.rstd1[l], t, h);
    }
    if (g != null) Embedding.backward(g, layout.embed(), a.dx, batch.idsView(), t, h);
  }

  /**
   * The head's backward after {@link #forwardTargets}: dh is the counted rows' input gradients and exact zeros
   * elsewhere (what the full product gives a zero gradient row); the weight gradient {@code dLogitsᵀ·h} runs as one
   * accumulating product per k block of the full token range, over the counted rows that block holds, so its sums are
   * the full product's.
   */
  private void headBackwardTargets(Batch batch, Activations a, float[] g, float lossScale) {
    float[] w = params.data();
    int h = config.hiddenSize();
    int vocab = config.vocabSize();
    int n = a.targetCount;
    int[] rows = a.targetRows;
    CrossEntropy.backwardRows(a.logits, a.lse, batch.idsView(), rows, n, vocab, lossScale);
    Linear.backward(a.dhTargets, false, null, layout.lmHead(), -1, a.logits, a.hTargets, w, n, h, vocab);
    java.util.Arrays.fill(a.dh, 0, a.tokens * h, 0f);
    for (int i = 0; i < n; i++) System.arraycopy(a.dhTargets, i * h, a.dh, rows[i] * h, h);
    if (g == null) return;
    int block = GemmBlocks.depth();
    for (int lo = 0; lo < n; ) {
      int blockEnd = (rows[lo] / block + 1) * block;
      int hi = lo;
      while (hi < n && rows[hi] < blockEnd) hi++;
      Gemm.gemm(true, false, vocab, h, hi - lo, a.logits, lo * vocab, vocab, a.hTargets, lo * h, h, g, layout.lmHead(),
          h, true);
      lo = hi;
    }
  }

  /** The pool the model's kernels run on (for callers that want to size their own work to it). */
  public static WorkerPool pool() {
    return WorkerPool.shared();
  }
}
