package org.eef4j.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float species every vector kernel uses, of the width {@link Backend} chose, and the fixed number of virtual lanes
 * that horizontal sums are spread over whatever that width. Only vector code paths touch this class, so it loads the
 * incubator module only where the vector path is on.
 */
public final class Lanes {

  /** The chosen species (the machine's widest up to 512 bits, or the one forced by {@code -Deef4j.vector.bits}). */
  public static final VectorSpecies<Float> SPECIES =
      VectorSpecies.of(float.class, VectorShape.forBitSize(Backend.vector() ? Backend.vectorBits() : 128));
  /** Floats per vector: 4, 8 or 16. */
  public static final int LENGTH = SPECIES.length();
  /**
   * Partial sums a reduction keeps, element i of each block of this many going to partial i: 32, the lanes of two
   * 512-bit vectors (so a 512-bit machine keeps two independent FMA chains, a 256-bit one four, a 128-bit one eight).
   * The partials are then added in one fixed tree. Fixing this number, not the hardware's, is what makes a sum's bits
   * the same on every machine.
   */
  public static final int VIRTUAL = 32;
  /** Vectors that hold the virtual lanes: VIRTUAL / LENGTH, that is 2, 4 or 8. */
  public static final int VECTORS = VIRTUAL / LENGTH;

  private Lanes() {}
}
