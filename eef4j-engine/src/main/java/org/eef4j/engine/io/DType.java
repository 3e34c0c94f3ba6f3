package org.eef4j.engine.io;

/** The safetensors element types the engine reads; floats are widened to float32 on load. */
public enum DType {
  F32(4),
  F16(2),
  BF16(2),
  F64(8),
  I64(8),
  I32(4);

  private final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  public int bytes() {
    return bytes;
  }

  public boolean isFloat() {
    return this == F32 || this == F16 || this == BF16 || this == F64;
  }

  /** The type named in a safetensors header, or null when the engine does not know it. */
  static DType parse(String name) {
    for (DType t : values()) if (t.name().equals(name)) return t;
    return null;
  }

  /** Float32 to bfloat16 bits, rounding to nearest even as PyTorch does (NaN stays a quiet NaN). */
  public static short toBf16(float f) {
    int bits = Float.floatToRawIntBits(f);
    if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x40);
    int rounding = 0x7FFF + ((bits >>> 16) & 1);
    return (short) ((bits + rounding) >>> 16);
  }

  public static float fromBf16(short h) {
    return Float.intBitsToFloat((h & 0xFFFF) << 16);
  }
}
