package org.eef4j.engine.train;

import java.util.IdentityHashMap;
import java.util.Map;
import org.eef4j.engine.lora.LoraAdapter;
import org.eef4j.engine.model.Activations;
import org.eef4j.engine.model.Batch;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.model.Parameters;

/**
 * The model being trained, as an {@link Objective} sees it: {@link #forward} gives a batch's masked mean cross-entropy,
 * {@link #backward} accumulates {@code scale · ∂CE/∂θ} into the weights that train, the model's own or (with LoRA)
 * only the adapter's.
 *
 * <p>An objective may run several forwards before their backwards (DPO scores both sides of a pair first). The
 * model's {@link Activations} hold everything its own backward needs, but a LoRA adapter keeps what its backward needs
 * inside itself, where the next forward overwrites it; so this view parks the adapter's state of a forward whose
 * backward is still to come, and brings it back for that backward. An objective that runs each backward right after
 * its forward costs nothing extra.
 */
public final class TrainedModel {

  private final LlamaModel model;
  /** Null for full fine-tuning. */
  private final LoraAdapter adapter;
  /** The model's gradients; null when an adapter trains, or when nothing trains. */
  private final Parameters grads;
  /** The activations whose forward the adapter holds now, and the parked ones of other forwards awaiting backward. */
  private Activations current;
  private final Map<Activations, LoraAdapter.Forward> parked = new IdentityHashMap<>();

  private TrainedModel(LlamaModel model, LoraAdapter adapter, Parameters grads) {
    this.model = model;
    this.adapter = adapter;
    this.grads = grads;
  }

  /** Every weight of {@code model} trains; backward accumulates into {@code grads}. */
  public static TrainedModel full(LlamaModel model, Parameters grads) {
    return new TrainedModel(model, null, grads);
  }

  /** Only {@code adapter}, hooked into {@code model}, trains; backward accumulates into the adapter's gradients. */
  public static TrainedModel adapter(LlamaModel model, LoraAdapter adapter) {
    return new TrainedModel(model, adapter, null);
  }

  /** Nothing trains: an objective's loss without gradients; {@link #backward} throws. */
  public static TrainedModel evaluating(LlamaModel model) {
    return new TrainedModel(model, null, null);
  }

  public LlamaModel model() {
    return model;
  }

  /** Runs the model on the batch into {@code a} (which backward reads); returns the masked mean cross-entropy. */
  public double forward(Batch b, Activations a) {
    if (adapter != null) {
      if (current != null && current != a) parked.put(current, adapter.takeForward());
      current = a;
    }
    return model.forwardForTraining(b, a); // the loss's bits, the head only where the loss counts when that is sparse
  }

  /** Accumulates {@code scale · ∂CE/∂θ} of the batch whose {@link #forward} filled {@code a}. */
  public void backward(Batch b, Activations a, float scale) {
    if (adapter != null) {
      if (current != a) {
        LoraAdapter.Forward f = parked.remove(a);
        if (f == null) throw new IllegalStateException("backward of a batch without its forward");
        if (current != null) parked.put(current, adapter.takeForward());
        adapter.restoreForward(f);
      }
      current = null; // consumed: the next forward may reuse the adapter's buffers
      model.backwardFrozen(b, a, scale);
    } else if (grads != null) {
      model.backward(b, a, grads, scale);
    } else {
      throw new IllegalStateException("nothing trains in this model: evaluating only");
    }
  }

  /** Forgets forwards that never got their backward (a step that ended, or failed, midway). */
  void endStep() {
    current = null;
    parked.clear();
  }
}
