package org.eef4j.engine.kernel;

import java.lang.System.Logger.Level;

/**
 * Chooses, once per JVM, whether kernels run on the Vector API or on their plain scalar twins, and at which vector width.
 * The vector path needs the jdk.incubator.vector module ({@code --add-modules jdk.incubator.vector}) and vectors of at
 * least 128 bits (SSE, NEON, AVX2, AVX-512); widths above 512 bits (SVE) are used as 512. Two system properties force a
 * choice: {@code -Deef4j.kernels=scalar} the plain path (to compare results or to rule out a vector bug), and
 * {@code -Deef4j.vector.bits=128|256|512} a narrower vector than the machine's widest (to test or time another width;
 * the Vector API runs every width up to the hardware's). Any fallback is logged once with its reason.
 *
 * <p>The choice changes speed only, never results: every kernel sums each output in an order fixed by the problem's
 * shape alone (see {@link VectorOps} and {@link Gemm}), so the scalar path and every width give the same bits.
 */
public final class Backend {

  /** System property: {@code scalar} forces the plain kernels, {@code vector} (the default when possible) the fast ones. */
  public static final String PROPERTY = "eef4j.kernels";
  /** System property: the vector width in bits (128, 256 or 512); the default is the machine's widest, at most 512. */
  public static final String BITS_PROPERTY = "eef4j.vector.bits";

  private static final int BITS = choose();

  private Backend() {}

  /** True when kernels use the Vector API. */
  public static boolean vector() {
    return BITS > 0;
  }

  /** The vector width the kernels use, in bits; 0 on the scalar path. */
  public static int vectorBits() {
    return BITS;
  }

  /** A one-line description for benchmark output and logs, e.g. "vector (512-bit)". */
  public static String describe() {
    return BITS > 0 ? "vector (" + BITS + "-bit)" : "scalar";
  }

  private static int choose() {
    System.Logger log = System.getLogger(Backend.class.getName());
    String forced = System.getProperty(PROPERTY, "").trim();
    if (forced.equalsIgnoreCase("scalar")) {
      log.log(Level.INFO, "eef4j kernels: scalar (forced by -D" + PROPERTY + "=scalar)");
      return 0;
    }
    if (!forced.isEmpty() && !forced.equalsIgnoreCase("vector")) {
      throw new IllegalArgumentException("-D" + PROPERTY + "=" + forced + ": expected scalar or vector");
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      log.log(Level.WARNING, "eef4j kernels: scalar fallback, the JVM lacks --add-modules jdk.incubator.vector");
      return 0;
    }
    int hardware;
    try {
      hardware = Math.min(512, PreferredWidth.bits());
    } catch (LinkageError e) {
      log.log(Level.WARNING, "eef4j kernels: scalar fallback, the Vector API failed to load: " + e);
      return 0;
    }
    if (hardware < 128) {
      log.log(Level.WARNING, "eef4j kernels: scalar fallback, preferred vectors are only " + hardware + " bits");
      return 0;
    }
    String bits = System.getProperty(BITS_PROPERTY, "").trim();
    if (bits.isEmpty()) return hardware;
    int wanted = switch (bits) {
      case "128" -> 128;
      case "256" -> 256;
      case "512" -> 512;
      default -> throw new IllegalArgumentException("-D" + BITS_PROPERTY + "=" + bits + ": expected 128, 256 or 512");
    };
    if (wanted > hardware) {
      // Wider than the hardware, the Vector API would emulate each operation in Java, hundreds of times slower.
      log.log(Level.WARNING, "eef4j kernels: -D" + BITS_PROPERTY + "=" + wanted + " is wider than this machine's "
          + hardware + "-bit vectors; using " + hardware);
      return hardware;
    }
    return wanted;
  }

  /** Kept in its own class so that nothing touches the incubator module unless it is there. */
  private static final class PreferredWidth {
    static int bits() {
      return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }
  }
}
