package org.eef4j.engine.dpo;

import java.util.List;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.train.AdamW;
import org.eef4j.engine.train.GradClip;
import org.eef4j.engine.train.LrSchedule;

/**
 * DPO steps over a policy with a frozen reference, in the engine trainer's fixed order: learning rate, forward and
 * backward of the pairs' mean loss, clip, AdamW step, zero.
 */
public final class DpoTrainer {

  /** What one step did: index, mean loss and margin before the update, gradient norm before clipping, rate. */
  public record Step(int step, double loss, double margin, double gradNorm, double lr) {}

  private final DpoObjective objective;
  private final LrSchedule schedule;
  private final double maxGradNorm;
  private final AdamW optimizer;
  private final Parameters grads;
  private int step;

  public DpoTrainer(LlamaModel policy, LlamaModel reference, DpoLoss loss, LrSchedule schedule, double maxGradNorm,
      AdamW.Settings adam) {
    if (!(maxGradNorm > 0)) throw new IllegalArgumentException("max gradient norm must be positive, got " + maxGradNorm);
    this.objective = new DpoObjective(policy, reference, loss);
    this.schedule = schedule;
    this.maxGradNorm = maxGradNorm;
    this.optimizer = new AdamW(policy.parameters().layout(), adam);
    this.grads = new Parameters(policy.parameters().layout());
  }

  public DpoObjective objective() {
    return objective;
  }

  /** Steps done so far. */
  public int position() {
    return step;
  }

  /** The optimiser's state, saved with the weights so that a stopped training continues exactly. */
  public AdamW.State optimizerState() {
    return optimizer.state();
  }

  /** Continues after {@code state.step()} steps (the policy's weights already restored by the caller). */
  public void resume(AdamW.State state) {
    optimizer.restore(state);
    step = state.step();
  }

  public Step step(List<DpoObjective.Pair> pairs, List<DpoObjective.Reference> refs) {
    double lr = schedule.at(step);
    DpoObjective.Result r = objective.lossAndGradient(pairs, refs, grads);
    double norm = Double.isInfinite(maxGradNorm) ? GradClip.norm(grads) : GradClip.clip(grads, maxGradNorm);
    if (!Double.isFinite(norm)) {
      grads.zero();
      throw new IllegalStateException("DPO step " + step + ": gradient norm is " + norm + " (loss " + r.loss() + ")");
    }
    optimizer.step(objective.policy().parameters(), grads, lr);
    grads.zero();
    return new Step(step++, r.loss(), r.margin(), norm, lr);
  }
}
