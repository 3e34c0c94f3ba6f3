package org.eef4j.engine.model;

/**
 * An extra path beside the model's linear projections, such as a LoRA adapter: forward adds {@code Δ(x)} to a
 * projection's output, backward adds {@code ∂Δ/∂x · dy} to the input's gradient and accumulates the hook's own
 * parameter gradients. {@link LlamaModel} calls it right after each projection's own forward and backward.
 */
public interface ProjectionHook {

  /** The projections of one decoder layer, by their Hugging Face module names. */
  enum Projection {
    Q("self_attn.q_proj"), K("self_attn.k_proj"), V("self_attn.v_proj"), O("self_attn.o_proj"),
    GATE("mlp.gate_proj"), UP("mlp.up_proj"), DOWN("mlp.down_proj");

    private final String module;

    Projection(String module) {
      this.module = module;
    }

    /** The module's path inside a layer, e.g. {@code self_attn.q_proj}. */
    public String module() {
      return module;
    }

    /** The short name PEFT's target_modules use, e.g. {@code q_proj}. */
    public String target() {
      return module.substring(module.indexOf('.') + 1);
    }
  }

  /** {@code y[T×out] += Δ(x[T×in])} for projection {@code p} of layer {@code layer}. */
  void forward(int layer, Projection p, float[] x, float[] y, int tokens);

  /** {@code dx[T×in] += (∂Δ/∂x)ᵀ·dy[T×out]}, and the hook's parameter gradients += theirs, after {@link #forward}. */
  void backward(int layer, Projection p, float[] x, float[] dy, float[] dx, int tokens);
}
