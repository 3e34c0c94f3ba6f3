package org.eef4j.engine.kernel;

import java.lang.System.Logger.Level;

/**
 * Chooses, once per JVM, whether kernels run on the Vector API or on their plain scalar twins. The vector path needs the
 * jdk.incubator.vector module ({@code --add-modules jdk.incubator.vector}) and a CPU with vectors of at least 256 bits;
 * below that the JIT's scalar code is as fast. {@code -Deef4j.kernels=scalar} forces the plain path (to compare results
 * or to rule out a vector bug); any fallback is logged once with its reason.
 */
public final class Backend {

  /** System property: {@code scalar} forces the plain kernels, {@code vector} (the default when possible) the fast ones. */
  public static final String PROPERTY = "eef4j.kernels";

  private static final boolean VECTOR = choose();

  private Backend() {}

  /** True when kernels use the Vector API. */
  public static boolean vector() {
    return VECTOR;
  }

  /** A one-line description for benchmark output and logs, e.g. "vector (512-bit)". */
  public static String describe() {
    return VECTOR ? "vector (" + VectorWidth.bits() + "-bit)" : "scalar";
  }

  private static boolean choose() {
    System.Logger log = System.getLogger(Backend.class.getName());
    String forced = System.getProperty(PROPERTY, "").trim();
    if (forced.equalsIgnoreCase("scalar")) {
      log.log(Level.INFO, "eef4j kernels: scalar (forced by -D" + PROPERTY + "=scalar)");
      return false;
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      log.log(Level.WARNING, "eef4j kernels: scalar fallback, the JVM lacks --add-modules jdk.incubator.vector");
      return false;
    }
    int bits;
    try {
      bits = VectorWidth.bits();
    } catch (LinkageError e) {
      log.log(Level.WARNING, "eef4j kernels: scalar fallback, the Vector API failed to load: " + e);
      return false;
    }
    if (bits < 256) {
      log.log(Level.WARNING, "eef4j kernels: scalar fallback, preferred vectors are only " + bits + " bits");
      return false;
    }
    return true;
  }

  /** Kept in its own class so that nothing touches the incubator module unless it is there. */
  private static final class VectorWidth {
    static int bits() {
      return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }
  }
}
