package org.eef4j.engine.model;

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
    check(batch, a);
    float[] w = params.data();
    int t = a.tokens;
    int h = config.hiddenSize();
    int last = config.numLayers();
    a.targetCount = -1;
    a.lastLayerAtTargets = false;
    Embedding.forward(a.x[0], w, layout.embed(), batch.idsView(), t, h);
    for (int l = 0; l < last; l++) {
      attentionForward(a, l);
      System.arraycopy(a.x[l], 0, a.xMid[l], 0, t * h);
      outputForward(a, l, a.ctx[l], t);
    }
    // final norm, then logits over the vocabulary (through the embedding when tied)
    RmsNorm.forward(a.hFinal, a.rstdFinal, a.x[last], w, layout.finalNorm(), t, h, (float) config.rmsNormEps());
    Linear.forward(a.logits, a.hFinal, w, layout.lmHead(), -1, t, h, config.vocabSize(), false);
    return CrossEntropy.forward(a.logits, a.lse, batch.idsView(), batch.maskView(), a.batch, a.seq,
        config.vocabSize());
  }

  /**
   * {@link #forward} for training: the same loss, and the same gradients from {@link #backward}, with the work that
   * only the loss's positions need done only at those positions: the vocabulary head, and in the last layer the output
   * projection and the MLP (its keys and values serve every later position, so its attention runs whole). Why: a
   * trained reply is a small part of its conversation (the demo's: an action after a page of observation); the head
   * with its softmax was a quarter of a step's products, spent on logits nothing reads.
   *
   * <p>Same bits: every forward product is a dot product per row, so a counted row's values do not depend on which
   * other rows are computed; backward gives the left-out rows the exact zeros the full pass gives them, and sums the
   * weight gradients over the counted rows in the full pass's k blocks ({@link GemmBlocks}) and norm chunks, the
   * left-out rows' terms being exact zeros. With a {@link ProjectionHook} (LoRA) the last layer runs whole: the hook
   * sums over the rows it is given. {@link Activations#logits()} then holds the counted rows' logits, row after row.
   */
  public double forwardTargets(Batch batch, Activations a) {
    check(batch, a);
    float[] w = params.data();
    int t = a.tokens;
    int h = config.hiddenSize();
    int last = config.numLayers();
    float eps = (float) config.rmsNormEps();
    int n = CrossEntropy.targetRows(batch.maskView(), a.batch, a.seq, a.targetRows);
    int[] rows = a.targetRows;
    a.targetCount = n;
    a.lastLayerAtTargets = hook == null;
    Embedding.forward(a.x[0], w, layout.embed(), batch.idsView(), t, h);
    for (int l = 0; l < last; l++) {
      attentionForward(a, l);
      if (l == last - 1 && a.lastLayerAtTargets) break;
      System.arraycopy(a.x[l], 0, a.xMid[l], 0, t * h);
      outputForward(a, l, a.ctx[l], t);
    }
    if (a.lastLayerAtTargets) {
      // the last layer's output rows at the counted positions, side by side (row i for position rows[i])
      int l = last - 1;
      int qd = config.qDim();
      for (int i = 0; i < n; i++) {
        System.arraycopy(a.x[l], rows[i] * h, a.xMid[l], i * h, h);
        System.arraycopy(a.ctx[l], rows[i] * qd, a.ctxTargets, i * qd, qd);
      }
      outputForward(a, l, a.ctxTargets, n);
      RmsNorm.forward(a.hTargets, a.rstdFinal, a.x[last], w, layout.finalNorm(), n, h, eps);
    } else {
      RmsNorm.forward(a.hFinal, a.rstdFinal, a.x[last], w, layout.finalNorm(), t, h, eps);
      for (int i = 0; i < n; i++) System.arraycopy(a.hFinal, rows[i] * h, a.hTargets, i * h, h);
    }
    Linear.forward(a.logits, a.hTargets, w, layout.lmHead(), -1, n, h, config.vocabSize(), false);
    return CrossEntropy.forwardRows(a.logits, a.lse, batch.idsView(), rows, n, config.vocabSize());
  }

  /**
   * The training forward: {@link #forwardTargets} when the loss counts at most {@link #GATHER_SHARE} of the batch's
   * rows, else {@link #forward}; the loss and the gradients {@link #backward} then gives have the same bits either way
   * (forwardTargets' contract). Why not always gather: the counted rows' weight gradients of the head and of the last
   * layer's projections run as one product per 256-token block of the batch, each reading and writing the whole
   * gradient (the head's is vocabulary × hidden), and gathering copies rows; when nearly every row counts (a
   * pre-training batch, the engine benchmark's 2,040 of 2,048) that costs more than the few rows left out save.
   */
  public double forwardForTraining(Batch batch, Activations a) {
    check(batch, a);
    int counted = CrossEntropy.counted(batch.maskView(), a.batch, a.seq);
    return (double) counted > GATHER_SHARE * a.tokens ? forward(batch, a) : forwardTargets(batch, a);
  }

  /**
   * Above this share of counted rows {@link #forwardForTraining} runs the whole batch: gathering saves at most the
   * left-out share of the head's and the last layer's products (under 6% of a step here at 7/8), against the split
   * weight-gradient products' extra passes over their gradients.
   */
  static final double GATHER_SHARE = 0.875;

  /** Layer l up to attention: h1 = RMSNorm(x); q, k, v = projections of h1, rotated by position; ctx, per head. */
  private void attentionForward(Activations a, int l) {
    float[] w = params.data();
    int t = a.tokens;
    int h = config.hiddenSize();
    ParamLayout.Layer p = layout.layer(l);
    RmsNorm.forward(a.h1[l], a.rstd1[l], a.x[l], w, p.inputNorm(), t, h, (float) config.rmsNormEps());
    Linear.forward(a.q[l], a.h1[l], w, p.q(), p.qBias(), t, h, config.qDim(), false);
    hookForward(l, ProjectionHook.Projection.Q, a.h1[l], a.q[l], t);
    Linear.forward(a.k[l], a.h1[l], w, p.k(), p.kBias(), t, h, config.kvDim(), false);
    hookForward(l, ProjectionHook.Projection.K, a.h1[l], a.k[l], t);
    Linear.forward(a.v[l], a.h1[l], w, p.v(), p.vBias(), t, h, config.kvDim(), false);
    hookForward(l, ProjectionHook.Projection.V, a.h1[l], a.v[l], t);
    Rope.forward(a.q[l], t, a.seq, config.numHeads(), a.rope);
    Rope.forward(a.k[l], t, a.seq, config.numKvHeads(), a.rope);
    // ctx = softmax(q·kᵀ/√d + causal mask)·v, per head
    Attention.forward(a.ctx[l], a.p[l], a.q[l], a.k[l], a.v[l], dims(a));
  }

  /**
   * Layer l after attention, over {@code rows} rows whose attention output is {@code ctx} and whose residual input
   * {@code a.xMid[l]} already holds: xMid += ctx·W_oᵀ; h2 = RMSNorm(xMid); act = silu(h2·W_gateᵀ) ⊙ h2·W_upᵀ;
   * x[l+1] = xMid + act·W_downᵀ.
   */
  private void outputForward(Activations a, int l, float[] ctx, int rows) {
    float[] w = params.data();
    int h = config.hiddenSize();
    int inter = config.intermediateSize();
    ParamLayout.Layer p = layout.layer(l);
    Linear.forward(a.xMid[l], ctx, w, p.o(), p.oBias(), rows, config.qDim(), h, true);
    hookForward(l, ProjectionHook.Projection.O, ctx, a.xMid[l], rows);
    RmsNorm.forward(a.h2[l], a.rstd2[l], a.xMid[l], w, p.postNorm(), rows, h, (float) config.rmsNormEps());
    Linear.forward(a.gate[l], a.h2[l], w, p.gate(), -1, rows, h, inter, false);
    hookForward(l, ProjectionHook.Projection.GATE, a.h2[l], a.gate[l], rows);
    Linear.forward(a.up[l], a.h2[l], w, p.up(), -1, rows, h, inter, false);
    hookForward(l, ProjectionHook.Projection.UP, a.h2[l], a.up[l], rows);
    SwiGlu.forward(a.act[l], a.gate[l], a.up[l], rows * inter);
    System.arraycopy(a.xMid[l], 0, a.x[l + 1], 0, rows * h);
    Linear.forward(a.x[l + 1], a.act[l], w, p.down(), -1, rows, inter, h, true);
    hookForward(l, ProjectionHook.Projection.DOWN, a.act[l], a.x[l + 1], rows);
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
    int last = config.numLayers();
    int[] rows = a.targetRows;
    int n = a.targetCount;

    if (n < 0) {
      CrossEntropy.backward(a.logits, a.lse, batch.idsView(), batch.maskView(), a.batch, a.seq, config.vocabSize(),
          lossScale);
      float[] dLogits = a.logits;
      Linear.backward(a.dh, false, g, layout.lmHead(), -1, dLogits, a.hFinal, w, t, h, config.vocabSize());
      java.util.Arrays.fill(a.dx, 0, t * h, 0f);
      RmsNorm.backward(a.dx, g, layout.finalNorm(), a.dh, a.x[last], w, a.rstdFinal, t, h);
    } else {
      headBackwardTargets(batch, a, g, lossScale);
      if (a.lastLayerAtTargets) {
        java.util.Arrays.fill(a.dxTargets, 0, n * h, 0f);
        RmsNorm.backwardRows(a.dxTargets, g, layout.finalNorm(), a.dhTargets, a.x[last], w, a.rstdFinal, rows, n, t,
            h);
      } else {
        scatter(a.dhTargets, a.dh, rows, n, t, h);
        java.util.Arrays.fill(a.dx, 0, t * h, 0f);
        RmsNorm.backward(a.dx, g, layout.finalNorm(), a.dh, a.x[last], w, a.rstdFinal, t, h);
      }
    }
    for (int l = last - 1; l >= 0; l--) {
      if (l == last - 1 && n >= 0 && a.lastLayerAtTargets) {
        // the counted rows' gradients, then every row's: the others' are exact zeros
        outputBackward(a, l, g, a.dxTargets, a.dctxTargets, a.ctxTargets, rows, n);
        scatter(a.dxTargets, a.dx, rows, n, t, h);
        scatter(a.dctxTargets, a.dctx, rows, n, t, config.qDim());
      } else {
        outputBackward(a, l, g, a.dx, a.dctx, a.ctx[l], null, t);
      }
      attentionBackward(a, l, g);
    }
    if (g != null) Embedding.backward(g, layout.embed(), a.dx, batch.idsView(), t, h);
  }

  /** Row i of {@code from} to row {@code rows[i]} of {@code to}, the other rows of the first {@code t} zeroed. */
  private static void scatter(float[] from, float[] to, int[] rows, int n, int t, int width) {
    java.util.Arrays.fill(to, 0, t * width, 0f);
    for (int i = 0; i < n; i++) System.arraycopy(from, i * width, to, rows[i] * width, width);
  }

  /**
   * Backward of {@link #outputForward} over {@code count} rows: {@code dx} holds d loss / d x[l+1] and leaves with
   * d loss / d xMid (= d loss / d x[l] through the residual, before attention adds its part); {@code dctx} gets
   * d loss / d ctx. {@code rows} null: the batch's rows; else the counted positions the rows stand for.
   */
  private void outputBackward(Activations a, int l, float[] g, float[] dx, float[] dctx, float[] ctx, int[] rows,
      int count) {
    float[] w = params.data();
    int t = a.tokens;
    int h = config.hiddenSize();
    int inter = config.intermediateSize();
    ParamLayout.Layer p = layout.layer(l);
    Linear.backwardRows(a.dact, false, g, p.down(), -1, dx, a.act[l], w, count, inter, h, rows, t);
    hookBackward(l, ProjectionHook.Projection.DOWN, a.act[l], dx, a.dact, count);
    SwiGlu.backward(a.dgate, a.dup, a.dact, a.gate[l], a.up[l], count * inter);
    Linear.backwardRows(a.dh, false, g, p.gate(), -1, a.dgate, a.h2[l], w, count, h, inter, rows, t);
    hookBackward(l, ProjectionHook.Projection.GATE, a.h2[l], a.dgate, a.dh, count);
    Linear.backwardRows(a.dh, true, g, p.up(), -1, a.dup, a.h2[l], w, count, h, inter, rows, t);
    hookBackward(l, ProjectionHook.Projection.UP, a.h2[l], a.dup, a.dh, count);
    RmsNorm.backwardRows(dx, g, p.postNorm(), a.dh, a.xMid[l], w, a.rstd2[l], rows, count, t, h);
    Linear.backwardRows(dctx, false, g, p.o(), p.oBias(), dx, ctx, w, count, config.qDim(), h, rows, t);
    hookBackward(l, ProjectionHook.Projection.O, ctx, dx, dctx, count);
  }

  /** Backward of {@link #attentionForward}: from a.dctx, adds d loss / d x[l] into a.dx. */
  private void attentionBackward(Activations a, int l, float[] g) {
    float[] w = params.data();
    int t = a.tokens;
    int h = config.hiddenSize();
    ParamLayout.Layer p = layout.layer(l);
    Attention.backward(a.dq, a.dk, a.dv, a.dctx, a.p[l], a.q[l], a.k[l], a.v[l], dims(a));
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

  /**
   * The head's backward after {@link #forwardTargets}: a.dhTargets gets the counted rows' input gradients (the other
   * rows' are exact zeros), the weight gradient {@code dLogitsᵀ·h} the full product's sums ({@link Linear#backwardRows}).
   */
  private void headBackwardTargets(Batch batch, Activations a, float[] g, float lossScale) {
    int vocab = config.vocabSize();
    int n = a.targetCount;
    CrossEntropy.backwardRows(a.logits, a.lse, batch.idsView(), a.targetRows, n, vocab, lossScale);
    Linear.backwardRows(a.dhTargets, false, g, layout.lmHead(), -1, a.logits, a.hTargets, params.data(), n,
        config.hiddenSize(), vocab, a.targetRows, a.tokens);
  }

  /** The pool the model's kernels run on (for callers that want to size their own work to it). */
  public static WorkerPool pool() {
    return WorkerPool.shared();
  }
}
