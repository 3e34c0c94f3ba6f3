package org.eef4j.engine.model;

import java.util.Arrays;
import org.eef4j.engine.kernel.WorkerPool;

/**
 * One flat float array laid out by a {@link ParamLayout}: the model's weights, or their gradients, or an optimizer
 * moment. Views by name copy nothing; ops index {@link #data()} directly with the layout's offsets.
 */
public final class Parameters {

  private final ParamLayout layout;
  private final float[] data;

  public Parameters(ParamLayout layout) {
    this(layout, new float[layout.size()]);
  }

  public Parameters(ParamLayout layout, float[] data) {
    if (data.length != layout.size()) {
      throw new IllegalArgumentException("array of " + data.length + " floats for a layout of " + layout.size());
    }
    this.layout = layout;
    this.data = data;
  }

  public ParamLayout layout() {
    return layout;
  }

  public float[] data() {
    return data;
  }

  /** A copy of one named tensor's values. */
  public float[] get(String name) {
    ParamLayout.Tensor t = layout.tensor(name);
    return Arrays.copyOfRange(data, t.offset(), t.offset() + t.size());
  }

  /** Overwrites one named tensor; the length must match its shape. */
  public void set(String name, float[] values) {
    ParamLayout.Tensor t = layout.tensor(name);
    if (values.length != t.size()) {
      throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + Arrays.toString(t.shape()));
    }
    System.arraycopy(values, 0, data, t.offset(), values.length);
  }

  /** Zeroes every value, in parallel (a whole model's gradients, after every optimiser step). */
  public void zero() {
    WorkerPool.shared().parallelRange(data.length, 1 << 16, (from, to) -> Arrays.fill(data, from, to, 0f));
  }

  public Parameters copy() {
    return new Parameters(layout, data.clone());
  }
}
