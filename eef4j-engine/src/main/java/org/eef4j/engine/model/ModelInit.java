package org.eef4j.engine.model;

import java.util.SplittableRandom;

/**
 * A model from scratch, initialised as Hugging Face's LlamaPreTrainedModel._init_weights does: every linear and
 * embedding weight drawn from normal(0, initializer_range = 0.02), biases zero, RMSNorm weights one. The same seed
 * gives the same weights.
 */
public final class ModelInit {

  /** transformers' default initializer_range for Llama and Qwen2. */
  public static final double HF_STD = 0.02;

  private ModelInit() {}

  public static Parameters normal(ModelConfig config, long seed) {
    return normal(config, seed, HF_STD);
  }

  public static Parameters normal(ModelConfig config, long seed, double std) {
    ParamLayout layout = new ParamLayout(config);
    Parameters p = new Parameters(layout);
    float[] w = p.data();
    SplittableRandom rnd = new SplittableRandom(seed);
    for (ParamLayout.Tensor t : layout.tensors()) {
      int end = t.offset() + t.size();
      if (t.name().endsWith("norm.weight")) {
        java.util.Arrays.fill(w, t.offset(), end, 1f);
      } else if (t.name().endsWith(".bias")) {
        java.util.Arrays.fill(w, t.offset(), end, 0f);
      } else {
        for (int i = t.offset(); i < end; i++) w[i] = (float) (rnd.nextGaussian() * std);
      }
    }
    return p;
  }
}
