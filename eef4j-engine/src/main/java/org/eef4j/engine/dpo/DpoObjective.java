package org.eef4j.engine.dpo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eef4j.engine.model.Activations;
import org.eef4j.engine.model.Batch;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.train.Objective;
import org.eef4j.engine.train.TrainedModel;

/**
 * The DPO objective against a frozen reference: forward and backward of {@link DpoLoss} through the model being
 * trained, as an {@link Objective} the engine's {@link org.eef4j.engine.train.Trainer} steps (full or LoRA, resumable).
 *
 * <p>The model's forward gives the masked <em>mean</em> cross-entropy {@code CE = −πseq / n} of a one-row batch with
 * {@code n} counted targets, and its backward accumulates {@code s·∂CE/∂θ} for a scale {@code s}. So the sequence
 * log-probability's gradient is {@code ∂πseq/∂θ = −n·∂CE/∂θ}, and {@code ∂L/∂θ = ∂L/∂πc·∂πc/∂θ + ∂L/∂πr·∂πr/∂θ} is two
 * backward passes scaled by {@code −n_c·∂L/∂πc} and {@code −n_r·∂L/∂πr}: no new kernel, and the chosen and rejected
 * sequences each run at their own length. Callers should pad rows (mask 0 after the end changes nothing under the
 * causal mask) to a few distinct lengths, so that activation buffers are reused.
 */
public final class DpoObjective {

  /** One pair as two one-row batches (prompt + continuation), the masks covering the continuation's trained tokens. */
  public record Pair(Batch chosen, Batch rejected) {
    public Pair {
      if (chosen.batch() != 1 || rejected.batch() != 1) throw new IllegalArgumentException("a pair holds one row each");
      if (targets(chosen) == 0 || targets(rejected) == 0) {
        throw new IllegalArgumentException("a preference pair needs at least one target token on each side");
      }
    }
  }

  /** The reference model's summed log-probabilities of a pair's two sides (computed once, the reference is frozen). */
  public record Reference(double chosen, double rejected) {}

  /** The mean loss over the pairs and the mean margin {@code (πc − rc) − (πr − rr)} (the implicit reward gap / β). */
  public record Result(double loss, double margin) implements Objective.Loss {}

  private final LlamaModel reference;
  private final DpoLoss dpo;
  /** Activation buffers kept per sequence length (each holds seq × vocab logits, so only a few are kept). */
  private static final int KEPT_LENGTHS = 4;

  private final Map<Integer, Activations> chosenActs = lru();
  private final Map<Integer, Activations> rejectedActs = lru();

  private static Map<Integer, Activations> lru() {
    return new LinkedHashMap<>(8, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Integer, Activations> eldest) {
        return size() > KEPT_LENGTHS;
      }
    };
  }

  /** @param reference the frozen model the policy is scored against (the policy as training starts) */
  public DpoObjective(LlamaModel reference, DpoLoss dpo) {
    this.reference = reference;
    this.dpo = dpo;
  }

  /** Number of target tokens (positions 1.. with mask 1), the {@code n} that turns a mean CE into a sum. */
  static int targets(Batch b) {
    int[] mask = b.lossMask();
    int n = 0;
    for (int t = 1; t < mask.length; t++) n += mask[t];
    return n;
  }

  /** Σ log p(target) over the one-row batch's masked targets, from the mean cross-entropy the forward gives. */
  private static double logProb(double meanCrossEntropy, Batch b) {
    return -meanCrossEntropy * targets(b);
  }

  /** One-row activations of the batch's length (every model here shares the reference's shape). */
  private Activations acts(Map<Integer, Activations> cache, Batch b) {
    return cache.computeIfAbsent(b.seq(), s -> reference.newActivations(1, s));
  }

  public Reference reference(Pair p) {
    return new Reference(logProb(reference.forward(p.chosen(), acts(chosenActs, p.chosen())), p.chosen()),
        logProb(reference.forward(p.rejected(), acts(rejectedActs, p.rejected())), p.rejected()));
  }

  /** One training step's objective: the mean DPO loss of the pairs under the model being trained. */
  public Objective<Result> of(List<Pair> pairs, List<Reference> refs) {
    return model -> run(model, pairs, refs, true);
  }

  /** The mean DPO loss of the pairs under {@code policy}, without gradients. */
  public Result loss(LlamaModel policy, List<Pair> pairs, List<Reference> refs) {
    return run(TrainedModel.evaluating(policy), pairs, refs, false);
  }

  /** The mean loss; with {@code gradient}, accumulates {@code ∂(mean loss)/∂θ} through the model's backward. */
  private Result run(TrainedModel policy, List<Pair> pairs, List<Reference> refs, boolean gradient) {
    if (pairs.size() != refs.size() || pairs.isEmpty()) {
      throw new IllegalArgumentException(pairs.size() + " pairs with " + refs.size() + " reference values");
    }
    if (!policy.model().config().equals(reference.config())) {
      throw new IllegalArgumentException("policy and reference models differ: " + policy.model().config() + " vs "
          + reference.config());
    }
    double loss = 0;
    double margin = 0;
    double w = 1.0 / pairs.size();
    for (int i = 0; i < pairs.size(); i++) {
      Pair p = pairs.get(i);
      Activations ac = acts(chosenActs, p.chosen());
      Activations ar = acts(rejectedActs, p.rejected());
      double pc = logProb(policy.forward(p.chosen(), ac), p.chosen());
      double pr = logProb(policy.forward(p.rejected(), ar), p.rejected());
      DpoLoss.Value v = dpo.of(pc, pr, refs.get(i).chosen(), refs.get(i).rejected());
      loss += w * v.loss();
      margin += w * v.margin();
      if (gradient) {
        // ∂πseq/∂θ = −n·∂CE/∂θ, so scale each backward by −n·∂L/∂πseq (times the pair's weight in the mean)
        policy.backward(p.chosen(), ac, (float) (-w * targets(p.chosen()) * v.dChosen()));
        policy.backward(p.rejected(), ar, (float) (-w * targets(p.rejected()) * v.dRejected()));
      }
    }
    return new Result(loss, margin);
  }

  /** Drops cached activations. */
  public void release() {
    chosenActs.clear();
    rejectedActs.clear();
  }
}
