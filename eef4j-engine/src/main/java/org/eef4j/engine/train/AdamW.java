package org.eef4j.engine.train;

import org.eef4j.engine.kernel.WorkerPool;
import org.eef4j.engine.model.ParamLayout;
import org.eef4j.engine.model.Parameters;

/**
 * AdamW with PyTorch's semantics (torch.optim.AdamW, amsgrad off): decoupled weight decay {@code p ← p·(1 − lr·wd)},
 * moments {@code m ← β1·m + (1−β1)·g}, {@code v ← β2·v + (1−β2)·g²}, then
 * {@code p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + eps)}. The moments are two flat arrays in the weights' layout.
 */
public final class AdamW {

  /**
   * @param decayVectors whether norm weights and biases decay too; PyTorch decays every parameter it is given (true),
   *     while LLM recipes usually exempt them (false)
   */
  public record Settings(double beta1, double beta2, double eps, double weightDecay, boolean decayVectors) {
    public Settings {
      if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
      if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
      if (!(eps > 0)) throw new IllegalArgumentException("eps must be positive, got " + eps);
      if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be non-negative, got " + weightDecay);
    }

    /** PyTorch's decay of every parameter. */
    public Settings(double beta1, double beta2, double eps, double weightDecay) {
      this(beta1, beta2, eps, weightDecay, true);
    }

    /** torch.optim.AdamW's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public static Settings pytorchDefaults() {
      return new Settings(0.9, 0.999, 1e-8, 0.01, true);
    }
  }

  private final ParamLayout layout;
  private final Settings settings;
  private final float[] m;
  private final float[] v;
  /** Per-float decay flag, as ranges: [start, end) of each tensor that decays. */
  private final int[][] decayRanges;
  private int step;

  /**
   * An optimiser over one flat array of {@code size} floats that all decay (e.g. a LoRA adapter's weights, which are
   * all matrices); step it with {@link #step(float[], float[], double)}.
   */
  public AdamW(int size, Settings settings) {
    this.layout = null;
    this.settings = settings;
    this.m = new float[size];
    this.v = new float[size];
    this.decayRanges = new int[][] {{0, size, 1}};
  }

  public AdamW(ParamLayout layout, Settings settings) {
    this.layout = layout;
    this.settings = settings;
    this.m = new float[layout.size()];
    this.v = new float[layout.size()];
    this.decayRanges = layout.tensors().stream()
        .map(t -> new int[] {t.offset(), t.offset() + t.size(), settings.decayVectors() || !t.isVector() ? 1 : 0})
        .toArray(int[][]::new);
  }

  /**
   * The optimiser's state, for a checkpoint that resumes exactly: steps taken and copies of the two moments, in the
   * weights' layout.
   */
  public record State(int step, float[] m, float[] v) {}

  public State state() {
    return new State(step, m.clone(), v.clone());
  }

  /** Continues from a saved {@link #state()}. */
  public void restore(State s) {
    if (s.m().length != m.length || s.v().length != v.length) {
      throw new IllegalArgumentException("optimizer state of " + s.m().length + " floats for a layout of " + m.length);
    }
    if (s.step() < 0) throw new IllegalArgumentException("optimizer state at step " + s.step());
    System.arraycopy(s.m(), 0, m, 0, m.length);
    System.arraycopy(s.v(), 0, v, 0, v.length);
    step = s.step();
  }

  public int stepsTaken() {
    return step;
  }

  public Settings settings() {
    return settings;
  }

  /** One update of {@code params} from {@code grads} at learning rate {@code lr}. */
  public void step(Parameters params, Parameters grads, double lr) {
    if (layout == null || params.data().length != layout.size() || grads.data().length != layout.size()) {
      throw new IllegalArgumentException("parameters or gradients do not match the optimizer's layout");
    }
    step(params.data(), grads.data(), lr);
  }

  /** One update of a flat array from its gradients (arrays as long as the optimiser's state). */
  public void step(float[] p, float[] g, double lr) {
    if (p.length != m.length || g.length != m.length) {
      throw new IllegalArgumentException(p.length + " parameters, " + g.length + " gradients for an optimizer of "
          + m.length);
    }
    step++;
    float b1 = (float) settings.beta1();
    float b2 = (float) settings.beta2();
    float eps = (float) settings.eps();
    float stepSize = (float) (lr / (1 - StrictMath.pow(settings.beta1(), step)));
    float bc2Sqrt = (float) Math.sqrt(1 - StrictMath.pow(settings.beta2(), step));
    float decay = (float) (1 - lr * settings.weightDecay());
    WorkerPool.shared().parallelFor(decayRanges.length, ti -> {
      int[] r = decayRanges[ti];
      float keep = r[2] == 1 ? decay : 1f;
      for (int i = r[0]; i < r[1]; i++) {
        float gi = g[i];
        float mi = m[i] = b1 * m[i] + (1 - b1) * gi;
        float vi = v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
        p[i] = p[i] * keep - stepSize * (mi / denom);
      }
    });
  }
}
