package org.eef4j.engine.lora;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.eef4j.engine.kernel.Gemm;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ParamLayout;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.model.ProjectionHook;

/**
 * LoRA adapters on a model's projections, as a {@link ProjectionHook}: for a targeted {@code y = x·Wᵀ},
 * {@code y += s · (drop(x)·Aᵀ)·Bᵀ} with {@code s = α/r}. The base weights are never touched (frozen); the adapter's
 * weights and gradients are two flat arrays, every A then B of every layer in order.
 *
 * <p>Forward keeps, per projection, {@code u = s·drop(x)·Aᵀ [T×r]} (and the dropped input when dropout is on) for
 * backward, which is:
 * <pre>
 *   dB[out×r] += dyᵀ·u                 du[T×r] = s · dy·B
 *   dA[r×in]  += duᵀ·drop(x)           dx[T×in] += drop'(du·A)
 * </pre>
 * A starts as PEFT initialises it (kaiming-uniform, bound 1/√in) and B at zero, so a new adapter changes nothing.
 */
public final class LoraAdapter implements ProjectionHook {

  /** Where one projection's A and B sit in the flat arrays. */
  record Slot(int a, int b, int in, int out) {}

  private final ModelConfig model;
  private final LoraConfig config;
  private final Slot[][] slots;
  private final float[] weights;
  private final float[] grads;
  private float[][][] saved;
  private float[][][] dropped;
  private boolean training;
  private SplittableRandom dropoutRandom = new SplittableRandom(0);

  public LoraAdapter(ModelConfig model, LoraConfig config) {
    this.model = model;
    this.config = config;
    int layers = model.numLayers();
    int n = ProjectionHook.Projection.values().length;
    this.slots = new Slot[layers][n];
    int off = 0;
    for (int l = 0; l < layers; l++) {
      for (ProjectionHook.Projection p : ProjectionHook.Projection.values()) {
        if (!config.targets().contains(p)) continue;
        int in = inDim(model, p);
        int out = outDim(model, p);
        slots[l][p.ordinal()] = new Slot(off, off + config.rank() * in, in, out);
        off += config.rank() * (in + out);
      }
    }
    this.weights = new float[off];
    this.grads = new float[off];
    this.saved = new float[layers][n][];
    this.dropped = new float[layers][n][];
  }

  static int inDim(ModelConfig c, ProjectionHook.Projection p) {
    return switch (p) {
      case Q, K, V, GATE, UP -> c.hiddenSize();
      case O -> c.qDim();
      case DOWN -> c.intermediateSize();
    };
  }

  static int outDim(ModelConfig c, ProjectionHook.Projection p) {
    return switch (p) {
      case Q -> c.qDim();
      case K, V -> c.kvDim();
      case O, DOWN -> c.hiddenSize();
      case GATE, UP -> c.intermediateSize();
    };
  }

  /** PEFT's initialisation: A uniform in ±1/√in (kaiming_uniform_ with a = √5), B zero. */
  public LoraAdapter initialise(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Arrays.fill(weights, 0f);
    forEachSlot((l, p, s) -> {
      double bound = 1 / Math.sqrt(s.in());
      for (int i = 0; i < config.rank() * s.in(); i++) weights[s.a() + i] = (float) rnd.nextDouble(-bound, bound);
    });
    return this;
  }

  public ModelConfig modelConfig() {
    return model;
  }

  public LoraConfig config() {
    return config;
  }

  /** The adapter's weights, flat (every A then B of each layer and projection in order); writable. */
  public float[] weights() {
    return weights;
  }

  /** The gradients, laid out like {@link #weights()}; backward accumulates into them. */
  public float[] grads() {
    return grads;
  }

  /** Training turns dropout on (with its own seeded stream); evaluation and generation leave it off. */
  public void train(boolean on, long dropoutSeed) {
    training = on;
    dropoutRandom = new SplittableRandom(dropoutSeed);
  }

  Slot slot(int layer, ProjectionHook.Projection p) {
    return slots[layer][p.ordinal()];
  }

  interface SlotVisitor {
    void visit(int layer, ProjectionHook.Projection p, Slot s);
  }

  void forEachSlot(SlotVisitor v) {
    for (int l = 0; l < slots.length; l++) {
      for (ProjectionHook.Projection p : ProjectionHook.Projection.values()) {
        Slot s = slots[l][p.ordinal()];
        if (s != null) v.visit(l, p, s);
      }
    }
  }

  @Override
  public void forward(int layer, ProjectionHook.Projection p, float[] x, float[] y, int tokens) {
    Slot s = slots[layer][p.ordinal()];
    if (s == null) return;
    int r = config.rank();
    float[] input = x;
    if (training && config.dropout() > 0) {
      // the mask holds each element's multiplier: 0 when dropped, 1/(1−p) when kept (inverted dropout)
      float[] m = dropped[layer][p.ordinal()] = ensure(dropped[layer][p.ordinal()], tokens * s.in());
      float keep = (float) (1 / (1 - config.dropout()));
      for (int i = 0; i < tokens * s.in(); i++) m[i] = dropoutRandom.nextDouble() < config.dropout() ? 0f : keep;
      input = masked(x, m, tokens * s.in());
    } else {
      dropped[layer][p.ordinal()] = null;
    }
    // u[T×r] = s · drop(x)·Aᵀ, kept for backward
    float[] u = saved[layer][p.ordinal()] = ensure(saved[layer][p.ordinal()], tokens * r);
    Gemm.gemm(false, true, tokens, r, s.in(), input, 0, s.in(), weights, s.a(), s.in(), u, 0, r, false);
    float scale = config.scaling();
    for (int i = 0; i < tokens * r; i++) u[i] *= scale;
    // y[T×out] += u·Bᵀ
    Gemm.gemm(false, true, tokens, s.out(), r, u, 0, r, weights, s.b(), r, y, 0, s.out(), true);
  }

  @Override
  public void backward(int layer, ProjectionHook.Projection p, float[] x, float[] dy, float[] dx, int tokens) {
    Slot s = slots[layer][p.ordinal()];
    if (s == null) return;
    int r = config.rank();
    float[] u = saved[layer][p.ordinal()];
    float[] mask = dropped[layer][p.ordinal()];
    float[] input = mask != null ? masked(x, mask, tokens * s.in()) : x;
    // dB[out×r] += dyᵀ·u
    Gemm.gemm(true, false, s.out(), r, tokens, dy, 0, s.out(), u, 0, r, grads, s.b(), r, true);
    // du[T×r] = s · dy·B
    float[] du = new float[tokens * r];
    Gemm.gemm(false, false, tokens, r, s.out(), dy, 0, s.out(), weights, s.b(), r, du, 0, r, false);
    float scale = config.scaling();
    for (int i = 0; i < du.length; i++) du[i] *= scale;
    // dA[r×in] += duᵀ·drop(x)
    Gemm.gemm(true, false, r, s.in(), tokens, du, 0, r, input, 0, s.in(), grads, s.a(), s.in(), true);
    // dx += du·A, through the dropout mask (a dropped element passes no gradient, a kept one is scaled like its value)
    if (mask == null) {
      Gemm.gemm(false, false, tokens, s.in(), r, du, 0, r, weights, s.a(), s.in(), dx, 0, s.in(), true);
    } else {
      float[] dIn = new float[tokens * s.in()];
      Gemm.gemm(false, false, tokens, s.in(), r, du, 0, r, weights, s.a(), s.in(), dIn, 0, s.in(), false);
      for (int i = 0; i < dIn.length; i++) dx[i] += dIn[i] * mask[i];
    }
  }

  private static float[] masked(float[] x, float[] mask, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) out[i] = x[i] * mask[i];
    return out;
  }

  private static float[] ensure(float[] buf, int n) {
    return buf != null && buf.length >= n ? buf : new float[n];
  }

  /**
   * What the last forward kept for its backward (each projection's {@code u} and dropout mask), which the next forward
   * would overwrite. An objective that holds two forwards before their backwards takes the first one's out here and
   * {@link #restoreForward}s it before its backward.
   */
  public record Forward(float[][][] saved, float[][][] dropped) {}

  /** Hands over the last forward's state; the next forward starts from fresh buffers. */
  public Forward takeForward() {
    Forward f = new Forward(saved, dropped);
    int n = ProjectionHook.Projection.values().length;
    saved = new float[saved.length][n][];
    dropped = new float[dropped.length][n][];
    return f;
  }

  /** Makes {@code f} the state the next backward reads, as if its forward had just run. */
  public void restoreForward(Forward f) {
    saved = f.saved();
    dropped = f.dropped();
  }

  public void zeroGrads() {
    Arrays.fill(grads, 0f);
  }

  /** Adds {@code s·B·A} into each targeted weight of {@code base}: the merged model computes what base + adapter do. */
  public void mergeInto(Parameters base) {
    ParamLayout layout = base.layout();
    if (!layout.config().equals(model)) throw new IllegalArgumentException("the adapter was made for another model");
    float[] w = base.data();
    float scale = config.scaling();
    int r = config.rank();
    forEachSlot((l, p, s) -> {
      float[] scaledB = Arrays.copyOfRange(weights, s.b(), s.b() + s.out() * r);
      for (int i = 0; i < scaledB.length; i++) scaledB[i] *= scale;
      int wOff = offset(layout.layer(l), p);
      // W[out×in] += (s·B)[out×r]·A[r×in]
      Gemm.gemm(false, false, s.out(), s.in(), r, scaledB, 0, r, weights, s.a(), s.in(), w, wOff, s.in(), true);
    });
  }

  static int offset(ParamLayout.Layer layer, ProjectionHook.Projection p) {
    return switch (p) {
      case Q -> layer.q();
      case K -> layer.k();
      case V -> layer.v();
      case O -> layer.o();
      case GATE -> layer.gate();
      case UP -> layer.up();
      case DOWN -> layer.down();
    };
  }
}
