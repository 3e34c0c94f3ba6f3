package org.eef4j.engine.io;

import java.util.Set;

/** Named tensors that can be read as float32: one safetensors file or a sharded checkpoint. */
public interface TensorSource extends AutoCloseable {

  Set<String> names();

  /** The header entry of {@code name}; throws naming the tensor and the source when it is absent. */
  TensorInfo info(String name);

  /** Reads a float tensor (F32, F16, BF16, F64) widened to float32 into {@code dst[off..off+numel)}. */
  void readFloats(String name, float[] dst, int off);

  /** Reads an integer tensor (I64, I32) as longs. */
  long[] readLongs(String name);

  default float[] readFloats(String name) {
    long n = info(name).numel();
    if (n > Integer.MAX_VALUE - 8) throw new SafeTensorsException(name + ": " + n + " elements do not fit one array");
    float[] out = new float[(int) n];
    readFloats(name, out, 0);
    return out;
  }

  @Override
  void close();
}
