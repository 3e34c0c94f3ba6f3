package org.eef4j.engine.lora;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.eef4j.engine.model.ProjectionHook.Projection;

/**
 * A LoRA adapter's shape (Hu et al. 2021): each targeted projection {@code W[out×in]} gains {@code (α/r)·B·A} with
 * {@code A[r×in]}, {@code B[out×r]}; dropout applies to the adapter's input during training.
 *
 * @param rank r (8–64 are usual; the adapter's size grows linearly with it)
 * @param alpha α; the update is scaled by α/r so that changing r does not retune the learning rate (PEFT's default 8)
 * @param dropout probability of zeroing an input element of the adapter path while training (PEFT's default 0)
 * @param targets the projections that get an adapter
 */
public record LoraConfig(int rank, double alpha, double dropout, Set<Projection> targets) {

  public LoraConfig {
    if (rank < 1) throw new IllegalArgumentException("LoRA rank must be at least 1, got " + rank);
    if (!(alpha > 0) || !Double.isFinite(alpha)) throw new IllegalArgumentException("LoRA alpha must be positive, got " + alpha);
    if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
    if (targets.isEmpty()) throw new IllegalArgumentException("LoRA needs at least one target projection");
    // in the enum's order, the same in every process: the SFT checkpoint fingerprint and adapter_config.json list them
    targets = java.util.Collections.unmodifiableSet(EnumSet.copyOf(targets));
  }

  /** The scale α/r of the low-rank update. */
  public float scaling() {
    return (float) (alpha / rank);
  }

  /** Targets by their Hugging Face names (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj). */
  public static Set<Projection> targets(List<String> names) {
    EnumSet<Projection> out = EnumSet.noneOf(Projection.class);
    for (String n : names) {
      Projection p = null;
      for (Projection c : Projection.values()) if (c.target().equals(n.trim())) p = c;
      if (p == null) {
        throw new IllegalArgumentException("unknown LoRA target '" + n + "': expected one of q_proj, k_proj, v_proj, "
            + "o_proj, gate_proj, up_proj, down_proj");
      }
      out.add(p);
    }
    return out;
  }

  /** The attention and MLP projections, as QLoRA and most recipes target. */
  public static Set<Projection> allProjections() {
    return EnumSet.allOf(Projection.class);
  }
}
